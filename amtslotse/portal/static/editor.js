/* Editor preview: the live check of a pasted text (POST /api/lint, debounced),
 * its findings marked in place. The entries, their texts and findings are drawn
 * by the server (they work without JavaScript). Texts are inserted with
 * textContent only. */
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

})();
