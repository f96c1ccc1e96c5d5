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
    }
  }

  reset();
  window.Amtslotse.mount(document.getElementById("hotline-chat"), {
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
