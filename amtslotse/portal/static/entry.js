/* Editing one entry (a service, an office, ...): its texts and lists, the
 * findings of the draft while typing (POST /api/editor/check, debounced; each
 * finding with its file:line), saving (POST /api/editor/entry), training and
 * the entry's change log. Texts are inserted with textContent only. */
(function () {
  "use strict";
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var main = document.getElementById("entry");
  var kind = main.dataset.kind;
  var id = main.dataset.id;
  var DEBOUNCE_MS = 700;
  var POLL_MS = 3000;

  var form = document.getElementById("entry-form");
  var fieldsBox = document.getElementById("entry-fields");
  var listsBox = document.getElementById("entry-lists");
  var problemsBox = document.getElementById("entry-problems");
  var status = document.getElementById("entry-status");
  var fileLine = document.getElementById("entry-file");
  var saveButton = document.getElementById("entry-save");
  var saveStatus = document.getElementById("save-status");
  var entry = null;
  var timer = null;
  var seq = 0;

  var SEVERITY = { error: "Fehler", warning: "Warnung", info: "Hinweis" };
  var REVIEW = { geprueft: "geprüft", geaendert: "geändert seit der Prüfung", offen: "noch nicht geprüft" };
  var ACTIONS = {
    text: "Text", synonyms: "Bei·spiele (wirken nach dem Training)", review: "Bewertung zurück·gesetzt",
    inbox: "Aus den Rückmeldungen (wirkt nach dem Training)", training: "Training gestartet",
    geprueft: "Mit Lesern geprüft"
  };

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function api(method, url, body) {
    var headers = { "X-CSRF-Token": csrf };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    return fetch(url, {
      method: method, credentials: "same-origin", headers: headers,
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) {
        return { status: r.status, ok: r.ok, data: data };
      });
    });
  }

  function safeName(name) { return name.replace(/[^a-zA-Z0-9_-]/g, "-"); }

  function field(t) {
    var box = el("div", "edit-field");
    box.dataset.name = t.name;
    var inputId = "text-" + safeName(t.name);
    var label = el("label", "", t.label);
    label.htmlFor = inputId;
    var input = el(t.multiline ? "textarea" : "input");
    if (t.multiline) input.rows = Math.max(3, t.text.split("\n").length + 1);
    else input.type = "text";
    input.id = inputId;
    input.value = t.text;
    input.maxLength = 5000;
    input.dataset.name = t.name;
    input.className = "edit-text";
    var where = el("p", "edit-where", "Datei: " + t.where);
    where.id = inputId + "-where";
    var review = t.review || {};
    var reviewText = "Prüfung mit Lesern: " + (REVIEW[review.state] || review.state) +
      (review.am ? " (" + review.am + ", " + review.von + ")" : "");
    var reviewLine = el("p", "edit-review review-" + review.state, reviewText);
    reviewLine.id = inputId + "-review";
    var findings = el("ul", "findings");
    findings.id = inputId + "-findings";
    findings.setAttribute("aria-label", "Hinweise zu " + t.label);
    input.setAttribute("aria-describedby", [where.id, reviewLine.id, findings.id].join(" "));
    box.append(label, input, where, reviewLine);
    if (t.frame) {
      box.append(el("p", "edit-note",
        "Die Wörter in geschweiften Klammern { } setzt der Amts·lotse ein. Lassen Sie sie stehen."));
    }
    box.append(findings);
    return box;
  }

  function listField(l) {
    var box = el("div", "edit-field");
    box.dataset.list = l.name;
    var inputId = "list-" + safeName(l.name);
    var label = el("label", "", l.label);
    label.htmlFor = inputId;
    var input = el("textarea", "edit-list");
    input.id = inputId;
    input.rows = Math.min(12, Math.max(3, l.items.length + 1));
    input.value = l.items.join("\n");
    input.dataset.list = l.name;
    box.append(label, input);
    if (l.trained) {
      var note = el("p", "edit-note", "Wirkt nach dem nächsten Training.");
      note.id = inputId + "-note";
      input.setAttribute("aria-describedby", note.id);
      box.append(note);
    }
    var findings = el("ul", "findings");
    findings.id = inputId + "-findings";
    box.append(findings);
    return box;
  }

  function render(body) {
    entry = body;
    fileLine.textContent = "Datei: " + body.file;
    fieldsBox.textContent = "";
    body.texts.forEach(function (t) { fieldsBox.append(field(t)); });
    listsBox.textContent = "";
    body.lists.forEach(function (l) { listsBox.append(listField(l)); });
    var answerSection = document.getElementById("answer-section");
    var answer = document.getElementById("answer");
    answer.textContent = "";
    if (body.answer) {
      body.answer.text.split("\n").forEach(function (line) { answer.append(el("p", "", line)); });
      if (body.answer.buttons.length) {
        answer.append(el("p", "answer-buttons", "Knöpfe: " + body.answer.buttons.join(" | ")));
      }
    }
    answerSection.hidden = !body.answer;
    document.getElementById("training-section").hidden =
      !body.lists.some(function (l) { return l.trained; });
    form.hidden = false;
  }

  function draft() {
    var texts = {};
    var lists = {};
    entry.texts.forEach(function (t) {
      var input = document.getElementById("text-" + safeName(t.name));
      if (input.value !== t.text) texts[t.name] = input.value;
    });
    entry.lists.forEach(function (l) {
      var input = document.getElementById("list-" + safeName(l.name));
      lists[l.name] = input.value.split("\n").map(function (s) { return s.trim(); })
        .filter(function (s) { return s; });
    });
    return { kind: kind, id: id, texts: texts, lists: lists };
  }

  function findingItem(f) {
    var li = el("li", "sev-" + f.severity);
    li.dataset.rule = f.rule;
    li.append(el("strong", "", (SEVERITY[f.severity] || f.severity) + " " + f.rule));
    li.append(document.createTextNode(" (" + f.where + ")" + (f.text ? " „" + f.text + "“" : "") +
      ": " + f.message + (f.suggestion ? ". Vorschlag: " + f.suggestion : "")));
    return li;
  }

  // Findings of a check, or of a refused save: per text, the file's checks, what does not load.
  function showFindings(report) {
    var counts = { error: 0, warning: 0, info: 0 };
    document.querySelectorAll(".edit-field .findings").forEach(function (ul) { ul.textContent = ""; });
    var findings = report.findings || {};
    Object.keys(findings).forEach(function (name) {
      var ul = document.getElementById("text-" + safeName(name) + "-findings");
      if (!ul && name.indexOf("documents.") === 0) ul = document.getElementById("list-documents-findings");
      findings[name].forEach(function (f) {
        counts[f.severity] = (counts[f.severity] || 0) + 1;
        if (ul) ul.append(findingItem(f));
      });
    });
    problemsBox.textContent = "";
    var general = el("ul", "findings");
    (report.problems || []).forEach(function (p) {
      counts.error += 1;
      general.append(el("li", "sev-error", p));
    });
    (report.checks || []).forEach(function (c) {
      counts[c.severity] = (counts[c.severity] || 0) + 1;
      general.append(findingItem(c));
    });
    if (general.childNodes.length) {
      problemsBox.append(el("h2", "", "Hinweise zum ganzen Eintrag"), general);
    }
    return counts;
  }

  function summary(counts) {
    return counts.error + " Fehler, " + counts.warning + " Warnungen, " + counts.info + " Hinweise.";
  }

  function check() {
    var mine = (seq += 1);
    status.textContent = "Der Entwurf wird geprüft.";
    api("POST", "/api/editor/check", draft()).then(function (r) {
      if (mine !== seq) return; // an older answer after a newer request
      if (!r.ok) { status.textContent = problemText(r); return; }
      var counts = showFindings(r.data);
      status.textContent = summary(counts) + (r.data.ok
        ? " Sie können speichern." : " Mit Fehlern speichert der Amts·lotse nicht.");
    }).catch(function () {
      if (mine === seq) status.textContent = "Die Prüfung ist gerade nicht erreichbar.";
    });
  }

  function problemText(r) {
    if (r.status === 401) return "Sie sind nicht mehr angemeldet. Bitte laden Sie die Seite neu.";
    return (r.data && (r.data.detail || r.data.title)) || "Das hat nicht geklappt.";
  }

  form.addEventListener("input", function () {
    saveStatus.textContent = "";
    window.clearTimeout(timer);
    timer = window.setTimeout(check, DEBOUNCE_MS);
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(timer);
    seq += 1; // a check still on its way must not overwrite what the save says
    var body = draft();
    body.version = entry.version;
    saveButton.disabled = true;
    saveStatus.textContent = "Wird gespeichert.";
    api("POST", "/api/editor/entry", body).then(function (r) {
      saveButton.disabled = false;
      if (!r.ok) {
        if (r.status === 409 && r.data && r.data.current) {
          conflict(r.data);
          saveStatus.textContent = "Nicht gespeichert: " + problemText(r) +
            " Drücken Sie noch einmal auf Speichern, dann gilt Ihre Fassung.";
          saveStatus.focus();
          return;
        }
        var counts = showFindings(r.data || {});
        saveStatus.textContent = "Nicht gespeichert: " + problemText(r) + " " + summary(counts);
        problemsBox.focus();
        return;
      }
      var said = r.data.saved ? "Gespeichert. Die Bürger sehen den neuen Text in wenigen Sekunden."
        : "Nichts geändert.";
      if (r.data.needs_training) said += " Neue Bei·spiele wirken nach dem nächsten Training.";
      if (r.data.review_cleared || (r.data.marks_cleared || []).length) {
        said += " Der geänderte Text muss neu geprüft werden.";
      }
      load(said);
      loadChanges();
    }).catch(function () {
      saveButton.disabled = false;
      saveStatus.textContent = "Das Speichern ist gerade nicht erreichbar. Ihre Änderung ist noch da.";
    });
  });

  // Someone saved while the editor typed (here or in another portal). What the editor
  // changed stays in the form, with the file's new text beside it; what the editor did not
  // touch takes the new text, so saving again keeps the other's changes there.
  function conflict(data) {
    var current = data.current;
    document.querySelectorAll(".conflict").forEach(function (n) { n.remove(); });
    function note(box, text) {
      var div = el("div", "conflict");
      div.append(el("p", "", "Jetzt in der Datei:"));
      text.split("\n").forEach(function (line) { div.append(el("p", "conflict-text", line)); });
      box.append(div);
    }
    entry.texts.forEach(function (t) {
      var now = current.texts[t.name];
      if (now === undefined || now === t.text) return;
      var input = document.getElementById("text-" + safeName(t.name));
      if (input.value === t.text) input.value = now;
      else note(input.parentNode, now);
      t.text = now;
    });
    entry.lists.forEach(function (l) {
      var now = current.lists[l.name];
      if (now === undefined || now.join("\n") === l.items.join("\n")) return;
      var input = document.getElementById("list-" + safeName(l.name));
      var mine = input.value.split("\n").map(function (x) { return x.trim(); })
        .filter(function (x) { return x; });
      if (mine.join("\n") === l.items.join("\n")) input.value = now.join("\n");
      else note(input.parentNode, now.join("\n"));
      l.items = now;
    });
    entry.version = data.version;
  }

  function load(said) {
    api("GET", "/api/editor/entry?kind=" + encodeURIComponent(kind) + "&id=" + encodeURIComponent(id))
      .then(function (r) {
        if (!r.ok) { status.textContent = problemText(r); return; }
        render(r.data);
        if (said) saveStatus.textContent = said;
        check();
      }).catch(function () { status.textContent = "Der Eintrag ist gerade nicht erreichbar."; });
  }

  // Training: start it, show its progress while it runs.
  var trainingButton = document.getElementById("training-start");
  var trainingStatus = document.getElementById("training-status");
  var progress = document.getElementById("training-progress");
  var polling = null;

  function showTraining(t) {
    var minutes = Math.floor(t.seconds / 60);
    var seconds = t.seconds % 60;
    var time = minutes + " Minuten " + seconds + " Sekunden";
    trainingButton.disabled = t.state === "running";
    progress.hidden = t.state !== "running";
    if (t.state === "running") {
      if (t.percent === null || t.percent === undefined) progress.removeAttribute("value");
      else progress.value = t.percent;
      trainingStatus.textContent = "Das Training läuft seit " + time + " (gestartet von " +
        t.started_by + "). Meist dauert es " + Math.round(t.typical_seconds / 60) + " Minuten.";
    } else if (t.state === "done") {
      trainingStatus.textContent = "Das Training ist fertig (" + time + ").";
    } else if (t.state === "failed") {
      trainingStatus.textContent = "Das Training hat nicht geklappt. Bitte sagen Sie es der Technik.";
    } else {
      trainingStatus.textContent = "";
    }
    window.clearTimeout(polling);
    if (t.state === "running") polling = window.setTimeout(pollTraining, POLL_MS);
  }

  function pollTraining() {
    api("GET", "/api/editor/training").then(function (r) { if (r.ok) showTraining(r.data); });
  }

  trainingButton.addEventListener("click", function () {
    trainingButton.disabled = true;
    api("POST", "/api/editor/training", {}).then(function (r) {
      if (r.ok) showTraining(r.data);
      else { trainingStatus.textContent = problemText(r); pollTraining(); }
    });
  });

  // The change log of this entry.
  function loadChanges() {
    var rows = document.getElementById("changes-rows");
    var table = document.getElementById("changes");
    var changesStatus = document.getElementById("changes-status");
    api("GET", "/api/editor/changes?entry=" + encodeURIComponent(kind + ":" + id)).then(function (r) {
      if (!r.ok) { changesStatus.textContent = problemText(r); return; }
      rows.textContent = "";
      r.data.changes.forEach(function (c) {
        var tr = el("tr");
        tr.append(el("td", "", c.at.replace("T", " ").slice(0, 16)), el("td", "", c.account),
          el("td", "", (ACTIONS[c.action] || c.action) + (c.field ? ": " + c.field : "")),
          el("td", "change-text", c.before), el("td", "change-text", c.after));
        rows.append(tr);
      });
      table.hidden = !r.data.changes.length;
      changesStatus.textContent = r.data.changes.length ? "" : "Noch keine Änderungen.";
    });
  }

  load();
  loadChanges();
  pollTraining();
})();
