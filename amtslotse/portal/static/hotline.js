/* Hotline console: the chat widget in agent mode (Rasa's "hotline" channel)
 * plus a summary of the case, built from the bot's structured payloads. */
(function () {
  "use strict";
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var summary = document.getElementById("summary");
  var OPEN = { booking: "kein Termin gebucht" };

  function field(name, value) {
    var dd = summary.querySelector('[data-field="' + name + '"]');
    dd.textContent = "";
    if (Array.isArray(value)) {
      if (!value.length) { dd.textContent = "keine"; return; }
      var ul = document.createElement("ul");
      value.forEach(function (v) {
        var li = document.createElement("li");
        li.textContent = v;
        ul.append(li);
      });
      dd.append(ul);
    } else {
      dd.textContent = value;
    }
  }

  function reset() {
    ["concern", "office", "place", "visit", "documents"].forEach(function (f) { field(f, "noch offen"); });
    field("list", "keine");
    field("booking", OPEN.booking);
  }

  function time(iso) {
    var d = new Date(iso);
    return isNaN(d.getTime()) ? String(iso) : d.toLocaleString("de-DE", {
      weekday: "short", day: "2-digit", month: "2-digit", year: "numeric",
      hour: "2-digit", minute: "2-digit", timeZone: "Europe/Berlin"
    });
  }

  function onCustom(c) {
    if (c.type === "office_answer") {
      field("concern", c.service_name || c.service_id);
      field("office", c.office_name + (c.phone ? " (Telefon " + c.phone + ")" : ""));
      field("place", c.location ? c.location.name + ", " + c.location.address : "nicht im Land·kreis");
      field("visit", c.urgent ? "dringend: sofort Hilfe holen"
        : c.county_responsible === false ? "anderes Amt ist zuständig"
        : c.walk_in ? "ohne Termin (Bürger·büro)" : "Termin nötig");
      field("documents", c.documents || []);
    } else if (c.type === "booking_offer") {
      field("booking", (c.options || []).length + " Termin·vorschläge gezeigt");
    } else if (c.type === "booking_confirmed") {
      var legs = (c.legs || []).map(function (l) {
        return time(l.start) + ": " + (l.office_name || l.office_id || l.service_id);
      });
      field("booking", ["gebucht, Nummer " + c.booking_code].concat(legs));
    } else if (c.type === "booking_cancelled") {
      field("booking", "abgesagt, Nummer " + c.booking_code);
    } else if (c.type === "concern_list") {
      showList(c.items || []);
    }
  }

  var KINDS = {
    appointment: "mit Termin", walk_in: "ohne Termin (Bürger·büro)",
    external: "anderes Amt", urgent: "dringend"
  };
  var chat = null;

  // The caller's list: every concern, each with a button that takes it off.
  function showList(entries) {
    var dd = summary.querySelector('[data-field="list"]');
    dd.textContent = "";
    if (!entries.length) { dd.textContent = "keine"; return; }
    var ul = document.createElement("ul");
    entries.forEach(function (i) {
      var li = document.createElement("li");
      li.append((i.service_name || i.service_id) + ": " + (KINDS[i.kind] || i.kind) + " ");
      var b = document.createElement("button");
      b.type = "button";
      b.className = "console-remove";
      b.textContent = "Streichen";
      b.setAttribute("aria-label", "Von der Liste streichen: " + (i.service_name || i.service_id));
      b.addEventListener("click", function () {
        if (chat) chat.post('/liste_entfernen{"concern": "' + i.service_id + '"}', "Streichen: " + (i.service_name || i.service_id));
      });
      li.append(b);
      ul.append(li);
    });
    dd.append(ul);
  }

  // A caller without the PIN: look the booking up by code, name and phone or e-mail,
  // read it out, and cancel it once the caller says "Ja". The portal asks the backend
  // with the agent's account; every search and cancel lands in the audit log.
  var lookupForm = document.getElementById("booking-lookup");
  var result = document.getElementById("booking-result");
  var claim = null;

  function postJson(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (j) {
        return { ok: r.ok, body: j };
      });
    }).catch(function () {
      return { ok: false, body: { title: "Keine Verbindung", detail: "Bitte versuchen Sie es gleich noch einmal." } };
    });
  }

  function heading(text) {
    var h = document.createElement("h3");
    h.textContent = text;
    h.tabIndex = -1;  // focus moves here, so screen readers read the answer
    return h;
  }

  function showProblem(body) {
    result.textContent = "";
    var box = document.createElement("div");
    box.className = "lookup-problem";
    box.setAttribute("role", "alert");
    var h = heading(body.title || "Das ging nicht");
    box.append(h);
    var p = document.createElement("p");
    p.textContent = body.detail || "Bitte versuchen Sie es noch einmal.";
    box.append(p);
    result.append(box);
    h.focus();
  }

  function showBooking(answer) {
    result.textContent = "";
    var box = document.createElement("div");
    box.className = "lookup-result";
    box.setAttribute("role", "status");
    var b = answer.booking || {};
    var cancelled = answer.outcome === "cancelled";
    var h = heading((cancelled ? "Termin abgesagt: " : "Termin gefunden: ") + b.booking_code
      + (b.status === "cancelled" && !cancelled ? " (schon abgesagt)" : ""));
    box.append(h);
    var ul = document.createElement("ul");
    (b.legs || []).forEach(function (l) {
      var li = document.createElement("li");
      li.textContent = time(l.start) + ": " + (l.office_name || l.office_id);
      ul.append(li);
    });
    box.append(ul);
    var who = document.createElement("p");
    who.className = "al-who";
    who.textContent = "Lesen Sie dem Anrufer vor:";
    box.append(who);
    var read = document.createElement("div");
    read.className = "read-out";
    (answer.read_out || []).forEach(function (line) {
      var p = document.createElement("p");
      p.textContent = line;
      read.append(p);
    });
    box.append(read);
    if (!cancelled && b.status === "confirmed") {
      var hint = document.createElement("p");
      hint.textContent = "Sagt der Anrufer Nein? Dann bleibt der Termin. Sagt er Ja?";
      box.append(hint);
      var cancel = document.createElement("button");
      cancel.type = "button";
      cancel.textContent = "Der Anrufer sagt Ja: Termin absagen";
      cancel.addEventListener("click", function () {
        cancel.disabled = true;
        postJson("/api/hotline/booking/cancel", claim).then(onAnswer);
      });
      box.append(cancel);
    }
    result.append(box);
    if (cancelled) {
      field("booking", "abgesagt, Nummer " + b.booking_code);
      lookupForm.reset();  // the caller's name and number stay nowhere
      claim = null;
    }
    h.focus();
  }

  function onAnswer(answer) {
    if (answer.ok) showBooking(answer.body); else showProblem(answer.body || {});
  }

  lookupForm.addEventListener("submit", function (event) {
    event.preventDefault();
    claim = {
      booking_code: lookupForm.elements.booking_code.value,
      name: lookupForm.elements.name.value,
      contact: lookupForm.elements.contact.value
    };
    postJson("/api/hotline/booking/lookup", claim).then(onAnswer);
  });

  reset();
  chat = window.Amtslotse.mount(document.getElementById("hotline-chat"), {
    agent: true,
    endpoint: "/api/hotline/chat",
    senderPrefix: "hotline-",
    storage: "session",
    storageKey: "amtslotse.hotline",
    inputLabel: "Was sagt der Anrufer?",
    restartLabel: "Neuer Fall",
    headers: function () { return { "X-CSRF-Token": csrf }; },
    onCustom: onCustom,
    onRestart: reset
  });
})();
