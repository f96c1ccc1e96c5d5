/* Editor preview: every citizen text with its Leichte Sprache findings marked
 * in place, a live check of pasted text (POST /api/lint, debounced), and the
 * glossary. Texts are inserted with textContent only. */
(function () {
  "use strict";
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var DEBOUNCE_MS = 400;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  // The text with each finding's span (line, column, length of its text) in a <mark>.
  function marked(text, findings) {
    var wrap = el("div", "marked");
    text.split("\n").forEach(function (lineText, i) {
      var p = el("p", "marked-line");
      var spans = findings.filter(function (f) { return f.line === i + 1 && f.text; })
        .map(function (f) { return { start: f.column - 1, end: f.column - 1 + f.text.length, f: f }; })
        .sort(function (a, b) { return a.start - b.start || b.end - a.end; });
      var at = 0;
      spans.forEach(function (s) {
        if (s.start < at || s.end > lineText.length) return; // overlapping: listed below only
        p.append(document.createTextNode(lineText.slice(at, s.start)));
        var m = el("mark", "finding sev-" + s.f.severity, lineText.slice(s.start, s.end));
        m.dataset.rule = s.f.rule;
        m.title = s.f.rule + ": " + s.f.message;
        p.append(m);
        at = s.end;
      });
      p.append(document.createTextNode(lineText.slice(at)));
      if (!lineText) p.append(document.createTextNode("\u00a0"));
      wrap.append(p);
    });
    return wrap;
  }

  function findingList(ul, findings) {
    ul.textContent = "";
    findings.forEach(function (f) {
      var li = el("li", "sev-" + f.severity);
      li.dataset.rule = f.rule;
      li.append(el("strong", "", f.severity + " " + f.rule));
      li.append(document.createTextNode(
        " (Zeile " + f.line + ", Spalte " + f.column + ") „" + f.text + "“: " + f.message +
        (f.suggestion ? " Vorschlag: " + f.suggestion : "")));
      ul.append(li);
    });
  }

  function scores(dl, s) {
    dl.textContent = "";
    [["Flesch (Amstad)", s.flesch_amstad], ["Wiener Sachtextformel", s.wiener_sachtextformel],
     ["Sätze", s.sentences], ["Wörter je Satz", s.words_per_sentence],
     ["Silben je Wort", s.syllables_per_word]].forEach(function (pair) {
      dl.append(el("dt", "", pair[0]), el("dd", "", pair[1]));
    });
  }

  // Live check of pasted text.
  var input = document.getElementById("check-input");
  var status = document.getElementById("check-status");
  var preview = document.getElementById("check-preview");
  var list = document.getElementById("check-findings");
  var scoreList = document.getElementById("check-scores");
  var timer = null;
  var seq = 0;

  function check() {
    var text = input.value;
    var mine = (seq += 1);
    if (!text.trim()) {
      preview.textContent = ""; list.textContent = ""; scoreList.textContent = "";
      status.textContent = "";
      return;
    }
    status.textContent = "Der Text wird geprüft.";
    fetch("/api/lint", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify({ text: text })
    }).then(function (r) {
      if (!r.ok) throw new Error(String(r.status));
      return r.json();
    }).then(function (report) {
      if (mine !== seq) return; // an older answer after a newer request
      preview.textContent = "";
      preview.append(marked(text, report.findings));
      findingList(list, report.findings);
      scores(scoreList, report.scores);
      status.textContent = report.findings.length
        ? report.findings.length + " Hinweise." : "Keine Hinweise.";
    }).catch(function (err) {
      if (mine !== seq) return;
      status.textContent = err.message === "401"
        ? "Sie sind nicht mehr angemeldet. Bitte laden Sie die Seite neu."
        : "Die Prüfung ist gerade nicht erreichbar.";
    });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(check, DEBOUNCE_MS);
  });

  // All content texts.
  var textsBox = document.getElementById("texts");
  var textsStatus = document.getElementById("texts-status");
  var filter = document.getElementById("texts-filter");
  var report = null;

  function renderTexts() {
    textsBox.textContent = "";
    var onlyFindings = filter.value === "findings";
    var onlyUnreviewed = filter.value === "unreviewed";
    report.texts.forEach(function (t) {
      if (onlyFindings && !t.findings.length) return;
      if (onlyUnreviewed && (!t.review || t.review.state === "geprueft")) return;
      var art = el("article", "text-item");
      art.append(el("h3", "", t.where));
      var link = editLink(t.entry);
      if (link) { var p = el("p"); p.append(link); art.append(p); }
      art.append(marked(t.text, t.findings));
      if (t.findings.length) {
        var ul = el("ul", "findings");
        findingList(ul, t.findings);
        art.append(ul);
      }
      art.append(el("p", "text-scores", "Flesch (Amstad): " + t.scores.flesch_amstad +
        ", Wiener Sachtextformel: " + t.scores.wiener_sachtextformel +
        ", Wörter je Satz: " + t.scores.words_per_sentence));
      textsBox.append(art);
    });
  }

  filter.addEventListener("change", function () { if (report) renderTexts(); });

  // The entries to edit, by kind, with a search.
  var entriesBox = document.getElementById("entries");
  var entriesStatus = document.getElementById("entries-status");
  var search = document.getElementById("entries-search");
  var editable = {};

  function editLink(key) {
    var e = editable[key];
    if (!e) return null;
    var a = el("a", "", "Bearbeiten: " + e.label);
    a.href = "/editor/bearbeiten?art=" + encodeURIComponent(e.kind) + "&id=" + encodeURIComponent(e.id);
    return a;
  }

  function renderEntries() {
    var words = search.value.toLowerCase().replace(/·/g, "").split(/\s+/).filter(Boolean);
    entriesBox.textContent = "";
    var shown = 0;
    Object.keys(report.kinds).forEach(function (kind) {
      var items = report.entries.filter(function (e) {
        var hay = (e.label + " " + e.id).toLowerCase().replace(/·/g, "");
        return e.kind === kind && words.every(function (w) { return hay.indexOf(w) >= 0; });
      });
      if (!items.length) return;
      entriesBox.append(el("h3", "", report.kinds[kind]));
      var ul = el("ul", "entry-list");
      items.forEach(function (e) {
        var li = el("li");
        li.append(editLink(e.kind + ":" + e.id));
        ul.append(li);
      });
      entriesBox.append(ul);
      shown += items.length;
    });
    entriesStatus.textContent = shown + " Einträge.";
  }

  search.addEventListener("input", function () { if (report) renderEntries(); });

  // Each service: its sources (url, check date, age), its review and its first answer.
  var servicesBox = document.getElementById("services");
  var servicesStatus = document.getElementById("services-status");
  var checksList = document.getElementById("checks");

  function renderServices(body) {
    checksList.textContent = "";
    (body.checks || []).forEach(function (c) {
      var li = el("li", "sev-" + c.severity);
      li.dataset.rule = c.rule;
      li.append(el("strong", "", c.severity + " " + c.rule));
      li.append(document.createTextNode(" " + c.where + ": " + c.message +
        (c.suggestion ? ". Vorschlag: " + c.suggestion : "")));
      checksList.append(li);
    });
    servicesBox.textContent = "";
    var unreviewed = 0;
    (body.services || []).forEach(function (s) {
      var art = el("article", "service-item");
      art.dataset.service = s.id;
      art.append(el("h3", "", s.name + " (" + s.id + ")"));
      var dl = el("dl", "service-facts");
      var review = s.review || {};
      if (review.score === null || review.score === undefined) unreviewed += 1;
      dl.append(el("dt", "", "Bewertung"), el("dd", "", review.score === null || review.score === undefined
        ? "noch nicht bewertet"
        : review.score + " von 5, " + review.reviewer + ", " + review.date));
      if (review.note) dl.append(el("dt", "", "Hinweis der Prüfung"), el("dd", "review-note", review.note));
      art.append(dl);
      var ul = el("ul", "sources");
      ul.setAttribute("aria-label", "Quellen");
      if (!s.sources.length) ul.append(el("li", "sev-error", "Keine Quelle."));
      s.sources.forEach(function (src) {
        var li = el("li", src.stale ? "sev-warning source" : "source");
        var a = el("a", "", src.title || src.url);
        if (/^https?:\/\//.test(src.url)) a.href = src.url;
        a.rel = "noopener";
        li.append(a, document.createTextNode(" geprüft am " + src.checked +
          " (vor " + src.age_days + " Tagen" + (src.stale ? ", bitte neu prüfen" : "") + ")" +
          (src.note ? ": " + src.note : "")));
        ul.append(li);
      });
      art.append(ul);
      var answer = el("div", "answer");
      answer.setAttribute("aria-label", "Erste Antwort");
      s.answer.split("\n").forEach(function (t) { answer.append(el("p", "", t)); });
      if (s.buttons.length) answer.append(el("p", "answer-buttons", "Knöpfe: " + s.buttons.join(" | ")));
      art.append(answer);
      servicesBox.append(art);
    });
    servicesStatus.textContent = (body.services || []).length + " Anliegen, " + unreviewed +
      " noch nicht bewertet. Eine Quelle gilt " + body.source_max_age_days + " Tage.";
  }

  fetch("/api/editor/texts", { credentials: "same-origin" })
    .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); })
    .then(function (body) {
      report = body;
      body.entries.forEach(function (e) { editable[e.kind + ":" + e.id] = e; });
      renderEntries();
      renderServices(body);
      var c = body.counts;
      textsStatus.textContent = c.texts + " Texte: " + c.error + " Fehler, " + c.warning +
        " Warnungen, " + c.info + " Hinweise, " + c.unreviewed + " ohne Prüfung mit Lesern.";
      renderTexts();
    })
    .catch(function () { textsStatus.textContent = "Die Texte sind gerade nicht erreichbar."; });

  // Glossary.
  var glossary = document.getElementById("glossary");
  fetch("/api/glossary").then(function (r) { return r.json(); }).then(function (body) {
    body.glossary.forEach(function (g) {
      glossary.append(el("dt", "", g.term + (g.forms.length ? " (" + g.forms.join(", ") + ")" : "")));
      var dd = el("dd");
      g.explanation.split("\n").forEach(function (t) { dd.append(el("p", "", t)); });
      glossary.append(dd);
    });
  });
})();
