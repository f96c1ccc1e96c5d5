/* Amtslotse chat widget.
 *
 * Embed with one tag: <script src="https://PORTAL/widget.js" defer></script>
 * It mounts into the element with id="amtslotse-chat", or creates that
 * element where the script tag stands. The hotline console mounts it itself
 * (data-mount="manual", then Amtslotse.mount(root, options)).
 *
 * Everything the user or the bot writes is inserted as text (textContent,
 * createTextNode), never as HTML. The sender id and the rendered history are
 * kept in the browser's storage, so a reload shows the conversation again;
 * Rasa's tracker keeps the state of the conversation itself.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var base = script ? new URL(script.src, window.location.href).origin : "";

  // Every text of the widget itself, in Leichte Sprache (checked by the tests).
  var TEXT = {
    region: "Chat mit dem Amts·lotsen",
    log: "Nachrichten",
    you: "Sie",
    bot: "Amts·lotse",
    caller: "Anrufer",
    readOut: "Lesen Sie dem Anrufer vor:",
    inputLabel: "Ihre Nachricht",
    send: "Senden",
    restart: "Neu anfangen",
    speak: "Vorlesen",
    speakLabel: "Diese Nachricht vorlesen",
    sending: "Ihre Nachricht ist unterwegs.",
    unreachable: "Der Amts·lotse ist gerade nicht erreichbar.",
    tryLater: "Bitte versuchen Sie es später noch einmal.",
    retry: "Noch einmal senden",
    explain: "Erklärung:",
    office: "Zuständiges Amt:",
    concern: "Thema:",
    walkIn: "Sie können ohne Termin kommen.",
    appointment: "Sie brauchen einen Termin.",
    urgent: "Das ist dringend.",
    address: "Adresse:",
    hours: "Öffnungs·zeiten:",
    phone: "Telefon:",
    website: "Internet·seite:",
    documents: "Bitte bringen Sie mit:",
    offer: "Freie Termine:",
    booked: "Ihr Termin ist gebucht.",
    code: "Ihre Termin·nummer:",
    calendar: "Termin für den Kalender laden",
    cancelled: "Ihr Termin ist abgesagt.",
    choose: "Bitte wählen Sie:",
    list: "Ihre Liste:",
    feedbackLabel: "Ihre Rück·meldung",
    feedbackQuestion: "Hat Ihnen das geholfen?",
    yes: "Ja",
    no: "Nein",
    followUp: "Was hat gefehlt?",
    thanks: "Danke für Ihre Antwort.",
    thanksMore: "Danke für Ihre Hilfe.",
    reasons: {
      falsches_amt: "Das Amt ist falsch.",
      unverstaendlich: "Ich verstehe die Antwort nicht.",
      fehlt_etwas: "Eine Angabe fehlt.",
      anderes: "Etwas anderes."
    },
    kinds: {
      appointment: "mit Termin",
      walk_in: "ohne Termin im Bürger·büro",
      external: "bei einem anderen Amt",
      urgent: "sofort Hilfe holen"
    }
  };
  // Secrets never go into the stored history: a PIN or token stays on screen only.
  var SECRET_FIELDS = ["pin", "access_token"];

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function randomId(prefix) {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return prefix + Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  function storageOf(kind) {
    try {
      var s = kind === "session" ? window.sessionStorage : window.localStorage;
      s.setItem("amtslotse.probe", "1");
      s.removeItem("amtslotse.probe");
      return s;
    } catch (e) {
      return null; // storage blocked: the conversation lasts as long as the page
    }
  }

  var DATE = new Intl.DateTimeFormat("de-DE", {
    weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "Europe/Berlin"
  });
  var TIME = new Intl.DateTimeFormat("de-DE", {
    hour: "2-digit", minute: "2-digit", timeZone: "Europe/Berlin"
  });

  function when(start, end) {
    var a = new Date(start), b = end ? new Date(end) : null;
    if (isNaN(a.getTime())) return String(start);
    var text = DATE.format(a) + ", " + TIME.format(a) + " Uhr";
    if (b && !isNaN(b.getTime())) text += " bis " + TIME.format(b) + " Uhr";
    return text;
  }

  // Glossary: hard words become buttons that show their explanation.
  function Glossary(entries) {
    var byWord = {};
    var words = [];
    (entries || []).forEach(function (g) {
      [g.term].concat(g.forms || []).forEach(function (w) {
        if (w && !byWord[w.toLowerCase()]) {
          byWord[w.toLowerCase()] = g;
          words.push(w);
        }
      });
    });
    words.sort(function (a, b) { return b.length - a.length; });
    var escaped = words.map(function (w) { return w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); });
    this.byWord = byWord;
    this.pattern = words.length
      ? new RegExp("(^|[^\\p{L}\\p{N}·])(" + escaped.join("|") + ")(?=$|[^\\p{L}\\p{N}·])", "giu")
      : null;
  }

  var counter = 0;

  function mount(root, options) {
    options = options || {};
    var agent = !!options.agent;
    var endpoint = options.endpoint || base + "/api/chat";
    var prefix = options.senderPrefix || "web-";
    var storeKey = options.storageKey || "amtslotse.chat";
    var store = storageOf(options.storage || "local");
    var onCustom = options.onCustom || function () {};
    var extraHeaders = options.headers || function () { return {}; };
    var glossary = new Glossary([]);
    var state = load();

    function load() {
      var saved = null;
      try { saved = store && JSON.parse(store.getItem(storeKey) || "null"); } catch (e) { saved = null; }
      if (!saved || typeof saved.sender !== "string" || !Array.isArray(saved.history)) {
        saved = { sender: randomId(prefix), history: [] };
      }
      return saved;
    }

    function save() {
      if (!store) return;
      try {
        state.history = state.history.slice(-200);
        store.setItem(storeKey, JSON.stringify(state, function (key, value) {
          return SECRET_FIELDS.indexOf(key) >= 0 ? undefined : value;
        }));
      } catch (e) { /* full or blocked: the page still works */ }
    }

    counter += 1;
    var uid = "al" + counter;
    var box = el("section", "al-chat" + (agent ? " al-agent" : ""));
    box.setAttribute("aria-label", TEXT.region);
    // The scrolling log is a live region; the messages are a list inside it.
    var log = el("div", "al-log");
    log.setAttribute("aria-label", TEXT.log);
    log.tabIndex = 0;
    var items = el("ol", "al-items");
    log.append(items);
    var status = el("div", "al-status");
    status.setAttribute("role", "status");
    var form = el("form", "al-form");
    var label = el("label", "al-label", options.inputLabel || TEXT.inputLabel);
    label.htmlFor = uid + "-input";
    var input = el("textarea", "al-input");
    input.id = uid + "-input";
    input.rows = 2;
    input.autocomplete = "off";
    input.maxLength = 2000;
    var send = el("button", "al-send", TEXT.send);
    send.type = "submit";
    var restart = el("button", "al-restart", options.restartLabel || TEXT.restart);
    restart.type = "button";
    var row = el("div", "al-form-row");
    row.append(input, send);
    form.append(label, row, restart);
    box.append(log, status, form);
    root.append(box);

    function speakButton(lines) {
      if (!("speechSynthesis" in window) || typeof window.SpeechSynthesisUtterance !== "function") {
        return null;
      }
      var b = el("button", "al-speak", TEXT.speak);
      b.type = "button";
      b.setAttribute("aria-label", TEXT.speakLabel);
      b.addEventListener("click", function () {
        window.speechSynthesis.cancel();
        var u = new window.SpeechSynthesisUtterance(lines.join(" "));
        u.lang = "de-DE";
        u.rate = 0.9;
        window.speechSynthesis.speak(u);
      });
      return b;
    }

    // One line of bot text: hard words become buttons, the explanation follows the line.
    function line(text, seen, after) {
      var p = el("p", "al-line");
      var pattern = glossary.pattern;
      if (!pattern) { p.textContent = text; return p; }
      var last = 0;
      pattern.lastIndex = 0;
      var m;
      while ((m = pattern.exec(text)) !== null) {
        var word = m[2];
        var entry = glossary.byWord[word.toLowerCase()];
        var start = m.index + m[1].length;
        if (!entry || seen[entry.term]) continue;
        seen[entry.term] = true;
        p.append(document.createTextNode(text.slice(last, start)));
        var id = uid + "-g" + (counter += 1);
        var term = el("button", "al-term", word);
        term.type = "button";
        term.setAttribute("aria-expanded", "false");
        term.setAttribute("aria-controls", id);
        var box = el("div", "al-explain");
        box.id = id;
        box.hidden = true;
        box.append(el("p", "al-explain-title", TEXT.explain + " " + entry.term));
        entry.explanation.split("\n").forEach(function (t) { if (t.trim()) box.append(el("p", "", t)); });
        term.addEventListener("click", toggle(term, box));
        p.append(term);
        after.push(box);
        last = start + word.length;
      }
      p.append(document.createTextNode(text.slice(last)));
      return p;
    }

    function toggle(button, target) {
      return function () {
        var open = button.getAttribute("aria-expanded") === "true";
        button.setAttribute("aria-expanded", open ? "false" : "true");
        target.hidden = open;
      };
    }

    function textBlock(item, lines) {
      var seen = {};
      lines.forEach(function (t) {
        var after = [];
        item.append(line(t, seen, after));
        after.forEach(function (a) { item.append(a); });
      });
    }

    // Buttons of one answer; a button already shown (same label, same payload) is not repeated.
    // Two answers may lead to the same place ("Ich weiß es nicht." and "Nein, ..."), so the
    // label counts, too.
    function choiceButtons(choices, shown) {
      var wrap = el("div", "al-buttons");
      choices.forEach(function (b) {
        if (!b || !b.payload) return;
        var key = b.payload + "\u0000" + (b.title || "");
        if (shown[key]) return;
        shown[key] = true;
        var btn = el("button", "al-choice", b.title || b.payload);
        btn.type = "button";
        btn.addEventListener("click", function () { post(b.payload, b.title || b.payload); });
        wrap.append(btn);
      });
      return wrap.childNodes.length ? wrap : null;
    }

    function pair(card, name, value) {
      if (value === undefined || value === null || value === "") return;
      var p = el("p", "al-field");
      p.append(el("strong", "", name), document.createTextNode(" "), document.createTextNode(String(value)));
      card.append(p);
    }

    function list(card, title, items) {
      if (!items || !items.length) return;
      if (title) card.append(el("p", "al-field-title", title));
      var ul = el("ul", "al-list");
      items.forEach(function (t) { ul.append(el("li", "", t)); });
      card.append(ul);
    }

    function card(custom, shown) {
      var c = el("div", "al-card");
      c.dataset.type = custom.type;
      c.setAttribute("role", "group");
      if (custom.type === "office_answer") {
        c.setAttribute("aria-label", TEXT.office + " " + (custom.office_name || ""));
        c.append(el("p", "al-card-title", custom.office_name));
        pair(c, TEXT.concern, custom.service_name);
        if (custom.urgent) c.append(el("p", "al-flag", TEXT.urgent));
        else if (custom.county_responsible !== false) {
          c.append(el("p", "al-flag", custom.walk_in ? TEXT.walkIn : TEXT.appointment));
        }
        if (custom.location) {
          pair(c, TEXT.address, custom.location.name);
          c.append(el("p", "al-field-more", custom.location.address));
        }
        if (custom.opening_hours) list(c, TEXT.hours, String(custom.opening_hours).split("\n").filter(Boolean));
        pair(c, TEXT.phone, custom.phone);
        if (custom.website && /^https:\/\//.test(custom.website)) {
          var web = el("p", "al-field");
          var a = el("a", "", custom.website);
          a.href = custom.website;
          a.rel = "noopener";
          web.append(el("strong", "", TEXT.website), document.createTextNode(" "), a);
          c.append(web);
        }
        list(c, TEXT.documents, custom.documents);
        return c;
      }
      if (custom.type === "booking_offer") {
        // The times usually came as buttons with the text just before: no second list then.
        if (Object.keys(shown).length) return null;
        c.setAttribute("aria-label", TEXT.offer);
        c.append(el("p", "al-card-title", TEXT.offer));
        var options = (custom.options || []).map(function (o) {
          return { title: when(o.start, o.end), payload: o.payload };
        });
        var buttons = choiceButtons(options.filter(function (o) { return o.payload; }), shown);
        if (buttons) c.append(buttons);
        list(c, "", options.filter(function (o) { return !o.payload; }).map(function (o) { return o.title; }));
        return c;
      }
      if (custom.type === "booking_confirmed") {
        c.setAttribute("aria-label", TEXT.booked);
        c.append(el("p", "al-card-title", TEXT.booked));
        pair(c, TEXT.code, custom.booking_code);
        list(c, "", (custom.legs || []).map(function (l) {
          return when(l.start, l.end) + (l.office_name ? ": " + l.office_name : "");
        }));
        if (custom.booking_code && custom.pin) {
          // A form, not a link: the PIN stays out of the address bar and the history.
          var f = el("form", "al-ics");
          f.method = "post";
          f.action = base + "/api/booking/ics";
          [["code", custom.booking_code], ["token", custom.pin]].forEach(function (kv) {
            var h = el("input");
            h.type = "hidden";
            h.name = kv[0];
            h.value = kv[1];
            f.append(h);
          });
          var dl = el("button", "al-choice", TEXT.calendar);
          dl.type = "submit";
          f.append(dl);
          c.append(f);
        }
        return c;
      }
      if (custom.type === "concern_list") {
        var entries = custom.items || [];
        if (!entries.length) return null;
        c.setAttribute("aria-label", TEXT.list);
        c.append(el("p", "al-card-title", TEXT.list));
        list(c, "", entries.map(function (i) {
          return (i.service_name || i.service_id) + ": " + (TEXT.kinds[i.kind] || i.kind);
        }));
        return c;
      }
      if (custom.type === "booking_cancelled") {
        c.setAttribute("aria-label", TEXT.cancelled);
        c.append(el("p", "al-card-title", TEXT.cancelled));
        pair(c, TEXT.code, custom.booking_code);
        return c;
      }
      if (custom.type === "clarify") {
        var more = choiceButtons(custom.options || [], shown);
        if (!more) return null;
        c.setAttribute("aria-label", TEXT.choose);
        c.append(el("p", "al-card-title", custom.question || TEXT.choose), more);
        return c;
      }
      return null;
    }

    // One history entry → one list item (user, bot text with buttons, or a card).
    function renderEntry(entry, shown) {
      var item = el("li", "al-msg " + (entry.who === "user" ? "al-user" : "al-bot"));
      if (entry.who === "user") {
        item.append(el("p", "al-who", agent ? TEXT.caller : TEXT.you));
        item.append(el("p", "al-line", entry.text));
        items.append(item);
        return;
      }
      var lines = entry.text ? String(entry.text).split("\n").filter(function (t) { return t.trim(); }) : [];
      var who = agent && !entry.utter_action && lines.length ? TEXT.readOut : TEXT.bot;
      item.append(el("p", "al-who", who));
      if (agent && entry.utter_action) item.classList.add("al-instruction");
      textBlock(item, lines);
      var buttons = choiceButtons(entry.buttons || [], shown);
      if (buttons) item.append(buttons);
      if (entry.custom && typeof entry.custom === "object") {
        var c = card(entry.custom, shown);
        if (c) item.append(c);
      }
      if (lines.length) {
        var sp = speakButton(lines);
        if (sp) item.append(sp);
      }
      if (item.childNodes.length > 1) {
        items.append(item);
        return item;
      }
      return null;
    }

    // The start of a new answer at the top of the log: people read from its first line,
    // not from the end of the card.
    function scrollToStart(node) {
      if (!node) { log.scrollTop = log.scrollHeight; return; }
      var top = node.getBoundingClientRect().top - log.getBoundingClientRect().top;
      log.scrollTop = Math.max(0, log.scrollTop + top - 8);
    }

    // Under each answer: "Hat Ihnen das geholfen?" Ja / Nein; after Nein one question with
    // buttons. What was said is kept in the answer's last history entry (no text is sent:
    // the portal knows the message it answered, scrubbed).
    var feedbackEndpoint = options.feedbackEndpoint || base + "/api/feedback";

    function sendFeedback(body) {
      return fetch(feedbackEndpoint, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        credentials: "same-origin",
        body: JSON.stringify(Object.assign({ sender: state.sender }, body))
      }).then(function (r) { return r.ok ? r.json() : null; }).catch(function () { return null; });
    }

    function feedbackDone(box, text) {
      box.textContent = "";
      box.append(el("p", "al-feedback-done", text));
      setStatus("", text);
    }

    function feedback(entries, item) {
      var holder = entries[entries.length - 1];
      var serviceId = null;
      entries.forEach(function (e) {
        if (!serviceId && e.custom && e.custom.type === "office_answer") serviceId = e.custom.service_id;
      });
      var box = el("div", "al-feedback");
      box.setAttribute("role", "group");
      box.setAttribute("aria-label", TEXT.feedbackLabel);
      item.append(box);
      if (holder.feedback) { box.append(el("p", "al-feedback-done", TEXT.thanks)); return; }
      var question = el("p", "al-feedback-q", TEXT.feedbackQuestion);
      question.id = uid + "-fb" + (counter += 1);
      var row = el("div", "al-feedback-row");
      [[TEXT.yes, true], [TEXT.no, false]].forEach(function (pair) {
        var b = el("button", "al-feedback-btn", pair[0]);
        b.type = "button";
        b.setAttribute("aria-describedby", question.id);
        b.addEventListener("click", function () {
          holder.feedback = pair[1] ? "ja" : "nein";
          save();
          var sent = sendFeedback({ helpful: pair[1], service_id: serviceId });
          if (pair[1]) { feedbackDone(box, TEXT.thanks); return; }
          followUp(box, holder, sent);
        });
        row.append(b);
      });
      box.append(question, row);
    }

    function followUp(box, holder, sent) {
      box.textContent = "";
      var question = el("p", "al-feedback-q", TEXT.followUp);
      question.id = uid + "-fb" + (counter += 1);
      var row = el("div", "al-feedback-row");
      Object.keys(TEXT.reasons).forEach(function (reason) {
        var b = el("button", "al-feedback-btn", TEXT.reasons[reason]);
        b.type = "button";
        b.setAttribute("aria-describedby", question.id);
        b.addEventListener("click", function () {
          holder.feedback = reason;
          save();
          sent.then(function (given) {
            if (given && given.id) {
              sendFeedback({ feedback: given.id, token: given.token, reason: reason });
            }
          });
          feedbackDone(box, TEXT.thanksMore);
          input.focus();
        });
        row.append(b);
      });
      box.append(question, row);
      setStatus("", TEXT.followUp);
      row.firstChild.focus();
    }

    // Renders the bot's messages of one turn; returns the first one shown.
    function renderBatch(entries) {
      var shown = {};
      var first = null;
      var last = null;
      entries.forEach(function (e) {
        var node = renderEntry(e, shown);
        if (!first) first = node;
        if (node) last = node;
      });
      if (!agent && last && entries.length) feedback(entries, last);
      return first;
    }

    function renderHistory() {
      // Batches: everything between two user messages shares one set of shown buttons.
      var batch = [];
      var last = null;
      state.history.forEach(function (e) {
        if (e.who === "user") { last = renderBatch(batch) || last; batch = []; renderEntry(e, {}); }
        else batch.push(e);
      });
      last = renderBatch(batch) || last;
      scrollToStart(last);
      state.history.forEach(function (e) { if (e.custom) onCustom(e.custom, true); });
    }

    var pending = null;

    function setStatus(kind, text, retry) {
      status.className = "al-status" + (kind ? " al-" + kind : "");
      status.textContent = "";
      (Array.isArray(text) ? text : [text]).forEach(function (t) { if (t) status.append(el("p", "", t)); });
      if (retry) {
        var b = el("button", "al-retry", TEXT.retry);
        b.type = "button";
        b.addEventListener("click", function () { post(retry.message, retry.shown, retry.turn); });
        status.append(b);
      }
    }

    // Each message has a turn id; "Noch einmal senden" sends it again with the same id
    // (resent), so the assistant answers it once even if the first try got through.
    function post(message, shown, again) {
      if (pending) return;
      var turn = again || randomId("t");
      if (!again) {
        var entry = { who: "user", text: shown || message };
        state.history.push(entry);
        save();
        renderEntry(entry, {});
        log.scrollTop = log.scrollHeight;
      }
      pending = { message: message, shown: shown, turn: turn };
      setStatus("busy", TEXT.sending);
      log.setAttribute("aria-busy", "true");
      send.disabled = true;
      var headers = Object.assign({ "Content-Type": "application/json" }, extraHeaders());
      fetch(endpoint, {
        method: "POST",
        headers: headers,
        credentials: "same-origin",
        body: JSON.stringify({ sender: state.sender, message: message, turn: turn, resent: !!again })
      }).then(function (r) {
        return r.json().catch(function () { return null; }).then(function (body) {
          return { ok: r.ok, status: r.status, body: body };
        });
      }).then(function (res) {
        if (!res.ok || !Array.isArray(res.body)) {
          var err = new Error("failed");
          // A refusal of the portal (4xx problem+json) says in its detail what to do.
          err.detail = res.status >= 400 && res.status < 500 && res.body && res.body.detail;
          // A part of the assistant is down (503): the portal says so in Leichte Sprache.
          err.lines = res.body && Array.isArray(res.body.lines) && res.body.lines;
          throw err;
        }
        done();
        setStatus("", "");
        var entries = res.body.map(function (m) {
          return { who: "bot", text: m.text || "", buttons: m.buttons || [], custom: m.custom || null,
                   utter_action: m.utter_action || null };
        });
        state.history = state.history.concat(entries);
        save();
        scrollToStart(renderBatch(entries));
        entries.forEach(function (e) { if (e.custom) onCustom(e.custom, false); });
      }).catch(function (err) {
        var retry = pending || { message: message, shown: shown, turn: turn };
        done();
        var said = err && (err.lines || (err.detail && [err.detail]));
        setStatus("error", said || [TEXT.unreachable, TEXT.tryLater], retry);
      });
    }

    // Ready for the next message before the answer is shown, so nothing typed after it is lost.
    function done() {
      pending = null;
      log.removeAttribute("aria-busy");
      send.disabled = false;
      input.focus();
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = input.value.trim();
      if (!text || pending) return;
      input.value = "";
      post(text);
    });

    input.addEventListener("keydown", function (event) {
      // Enter sends, Shift+Enter makes a new line.
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        form.requestSubmit ? form.requestSubmit(send) : send.click();
      }
    });

    restart.addEventListener("click", function () {
      state = { sender: randomId(prefix), history: [] };
      save();
      items.textContent = "";
      setStatus("", "");
      if (options.onRestart) options.onRestart();
      input.focus();
    });

    var glossaryUrl = options.glossaryUrl || base + "/api/glossary";
    fetch(glossaryUrl, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : { glossary: [] }; })
      .catch(function () { return { glossary: [] }; })
      .then(function (body) {
        glossary = new Glossary(body.glossary);
        renderHistory();
        // New messages are announced; the restored ones above are not read out again.
        log.setAttribute("role", "log");
        log.setAttribute("aria-live", "polite");
        log.setAttribute("aria-relevant", "additions");
        root.dataset.ready = "true";
      });

    return { input: input, post: post };
  }

  window.Amtslotse = { mount: mount, TEXT: TEXT };

  function start() {
    // A county page that only has the script tag gets the widget's style sheet, too.
    if (!document.querySelector('link[href$="/widget.css"]')) {
      var css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = base + "/widget.css";
      document.head.append(css);
    }
    var root = document.getElementById("amtslotse-chat");
    if (!root) {
      root = document.createElement("div");
      root.id = "amtslotse-chat";
      if (script && script.parentNode && script.parentNode !== document.head) {
        script.parentNode.insertBefore(root, script);
      } else {
        document.body.append(root);
      }
    }
    mount(root, {});
  }

  if (!script || script.dataset.mount !== "manual") {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
    else start();
  }
})();
