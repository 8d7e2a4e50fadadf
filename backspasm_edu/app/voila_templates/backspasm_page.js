// Every app page's script: focus where the app asks, tidy upload buttons, and say when the
// connection to the app's kernel is lost (disabling the controls that cannot act meanwhile).
(function () {
  "use strict";

  // Move keyboard focus where the app asks (backspasm_edu.widgets._common.move_focus): each
  // focus target carries a number, and a target with a number not yet seen gets focus once.
  const seen = new WeakMap();
  function focusNewTargets() {
    for (const target of document.querySelectorAll("[data-backspasm-focus]")) {
      const number = target.getAttribute("data-backspasm-focus");
      if (seen.get(target) !== number) {
        seen.set(target, number);
        target.focus({ preventScroll: true });
        target.scrollIntoView({ block: "nearest" });
      }
    }
  }

  // ipywidgets labels an upload button "Resume from file (0)": the count of files it holds,
  // which means nothing to a learner. Keep the words only.
  function tidyUploadLabels() {
    for (const button of document.querySelectorAll(".widget-upload")) {
      for (const node of button.childNodes) {
        if (node.nodeType === Node.TEXT_NODE && / \(\d+\)$/.test(node.data)) {
          node.data = node.data.replace(/ \(\d+\)$/, "");
        }
      }
    }
  }

  new MutationObserver(() => {
    focusNewTargets();
    tidyUploadLabels();
  }).observe(document.documentElement, {
    subtree: true,
    childList: true,
    characterData: true,
    attributes: true,
    attributeFilter: ["data-backspasm-focus"],
  });

  // Printing a page that holds something printable (a plan, a course record) prints only that,
  // whole: a copy of it becomes the only thing on the page while it prints (the app's own
  // boxes scroll inside the window and would print one clipped page). "Print my ..." buttons
  // print the page.
  function preparePrint() {
    const printable = document.querySelector("#rendered_cells .backspasm-printable");
    if (printable === null || document.getElementById("backspasm-print-root") !== null) {
      return;
    }
    const root = document.createElement("div");
    root.id = "backspasm-print-root";
    root.appendChild(printable.cloneNode(true));
    document.body.appendChild(root);
    document.body.classList.add("backspasm-printing");
  }
  function afterPrint() {
    const root = document.getElementById("backspasm-print-root");
    if (root !== null) {
      root.remove();
    }
    document.body.classList.remove("backspasm-printing");
  }
  window.addEventListener("beforeprint", preparePrint);
  window.addEventListener("afterprint", afterPrint);
  document.addEventListener("click", (event) => {
    if (event.target instanceof Element && event.target.closest(".backspasm-print")) {
      window.print();
    }
  });

  // The connection: the page talks to its kernel over one websocket
  // (/api/kernels/<id>/channels), which JupyterLab's services reopen after a drop. While it is
  // closed, a banner (a live region) says so and every control is disabled, so a click cannot
  // wait unseen and fire by itself when the network returns.
  const GIVE_UP_SECONDS = 45;
  const KERNEL_SOCKET = /\/api\/kernels\/[^/]+\/channels/;
  const NativeWebSocket = window.WebSocket;
  const kernelSockets = new Set();
  let banner = null;
  let isLost = false;
  let unloading = false;
  let giveUpTimer = null;
  let clearTimer = null;
  let watchTimer = null;

  function ensureBanner() {
    if (banner === null) {
      banner = document.createElement("div");
      banner.className = "backspasm-connection";
      banner.setAttribute("role", "status");
      banner.setAttribute("aria-live", "assertive");
      banner.hidden = true;
      document.body.prepend(banner);
    }
    return banner;
  }

  function say(state, html) {
    const box = ensureBanner();
    box.dataset.state = state;
    box.innerHTML = html;
    box.hidden = html === "";
  }

  function setControlsDisabled(disabled) {
    const controls = document.querySelectorAll(
      "#rendered_cells button, #rendered_cells input, #rendered_cells select, #rendered_cells textarea"
    );
    for (const control of controls) {
      if (disabled && !control.disabled) {
        control.disabled = true;
        control.setAttribute("data-backspasm-offline", "");
      } else if (!disabled && control.hasAttribute("data-backspasm-offline")) {
        control.disabled = false;
        control.removeAttribute("data-backspasm-offline");
      }
    }
  }

  function connected() {
    for (const socket of kernelSockets) {
      if (socket.readyState === NativeWebSocket.OPEN) {
        return true;
      }
    }
    return false;
  }

  function lost() {
    if (isLost || unloading) {
      return;
    }
    isLost = true;
    clearTimeout(clearTimer);
    setControlsDisabled(true);
    say(
      "lost",
      '<span aria-hidden="true">⚠</span> <strong>Connection lost</strong> - trying again. ' +
        "Your answers so far are saved."
    );
    giveUpTimer = setTimeout(() => {
      say(
        "gone",
        '<span aria-hidden="true">⚠</span> <strong>Connection lost.</strong> Check your ' +
          "network, then reload the page: your saved answers carry on. " +
          '<button type="button" class="backspasm-reload">Reload the page</button>'
      );
      banner.querySelector("button").addEventListener("click", () => location.reload());
    }, GIVE_UP_SECONDS * 1000);
    // A reopened socket may be found by its state as well as by its open event.
    watchTimer = setInterval(() => {
      if (connected() && navigator.onLine) {
        back();
      }
    }, 500);
  }

  function back() {
    if (!isLost) {
      return;
    }
    isLost = false;
    clearTimeout(giveUpTimer);
    clearInterval(watchTimer);
    setControlsDisabled(false);
    say("back", '<span aria-hidden="true">✓</span> Connected again.');
    clearTimeout(clearTimer);
    clearTimer = setTimeout(() => say("", ""), 4000);
  }

  class WatchedWebSocket extends NativeWebSocket {
    constructor(url, protocols) {
      super(url, protocols);
      if (!KERNEL_SOCKET.test(String(url))) {
        return;
      }
      kernelSockets.add(this);
      this.addEventListener("open", () => {
        if (navigator.onLine) {
          back();
        }
      });
      this.addEventListener("close", () => {
        kernelSockets.delete(this);
        if (!connected()) {
          lost();
        }
      });
    }
  }
  window.addEventListener("pagehide", () => {
    unloading = true;
  });
  window.addEventListener("offline", lost);
  window.addEventListener("online", () => {
    if (connected()) {
      back();
    }
  });
  window.WebSocket = WatchedWebSocket;
  document.addEventListener("DOMContentLoaded", ensureBanner);
})();
