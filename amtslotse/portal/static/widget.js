/* Amtslotse chat widget: embed with <script src="https://PORTAL/widget.js" defer></script>
 * and an element with id="amtslotse-chat". Everything the user or the bot
 * writes is inserted as text (textContent), never as HTML. */
(function () {
  "use strict";
  var script = document.currentScript;
  var base = script ? new URL(script.src).origin : "";
  var STORE = "amtslotse.sender";

  function senderId() {
    var id = null;
    try { id = window.localStorage.getItem(STORE); } catch (e) { /* storage blocked */ }
    if (!id) {
      var bytes = new Uint8Array(16);
      window.crypto.getRandomValues(bytes);
      id = Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
      try { window.localStorage.setItem(STORE, id); } catch (e) { /* session only */ }
    }
    return id;
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function mount(root) {
    var box = el("section", "al-chat");
    box.setAttribute("aria-label", "Chat mit dem Amts·lotsen");
    var log = el("ol", "al-log");
    log.setAttribute("aria-live", "polite");
    log.setAttribute("aria-relevant", "additions");
    var status = el("p", "al-status");
    status.setAttribute("role", "status");
    var form = el("form", "al-form");
    var label = el("label", "", "Ihre Nachricht");
    label.htmlFor = "al-input";
    var input = el("input", "al-input");
    input.id = "al-input";
    input.type = "text";
    input.autocomplete = "off";
    input.maxLength = 2000;
    var send = el("button", "", "Senden");
    send.type = "submit";
    form.append(label, input, send);
    box.append(log, status, form);
    root.append(box);

    var sender = senderId();

    function addMessage(who, lines) {
      var item = el("li", "al-msg " + (who === "user" ? "al-user" : "al-bot"));
      lines.forEach(function (line) { item.append(el("p", "", line)); });
      log.append(item);
      log.scrollTop = log.scrollHeight;
      return item;
    }

    function card(custom) {
      if (!custom || custom.type !== "office_answer") return null;
      var c = el("div", "al-card");
      c.dataset.type = custom.type;
      c.append(el("p", "", custom.office_name));
      if (custom.location) c.append(el("p", "", custom.location.address));
      return c;
    }

    function render(messages) {
      messages.forEach(function (m) {
        var item = null;
        if (m.text) item = addMessage("bot", m.text.split("\n"));
        if (m.buttons && m.buttons.length) {
          item = item || addMessage("bot", []);
          var row = el("div", "al-buttons");
          m.buttons.forEach(function (b) {
            var btn = el("button", "", b.title);
            btn.type = "button";
            btn.addEventListener("click", function () { post(b.payload, b.title); });
            row.append(btn);
          });
          item.append(row);
        }
        if (m.custom) {
          var c = card(m.custom);
          if (c) addMessage("bot", []).append(c);
        }
      });
    }

    function post(message, shown) {
      addMessage("user", [shown || message]);
      status.className = "al-status";
      status.textContent = "Die Nachricht wird gesendet.";
      send.disabled = true;
      fetch(base + "/api/chat", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ sender: sender, message: message })
      }).then(function (r) {
        return r.json().then(function (body) { return { ok: r.ok, body: body }; });
      }).then(function (res) {
        if (!res.ok) throw new Error(res.body && res.body.detail || "error");
        status.textContent = "";
        render(res.body);
      }).catch(function () {
        status.className = "al-status al-error";
        status.textContent = "Der Amts·lotse ist gerade nicht erreichbar. Bitte versuchen Sie es später noch einmal.";
      }).finally(function () {
        send.disabled = false;
        input.focus();
      });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = input.value.trim();
      if (!text) return;
      input.value = "";
      post(text);
    });
  }

  function start() {
    var root = document.getElementById("amtslotse-chat");
    if (root) mount(root);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
