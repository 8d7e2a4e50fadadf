// Move keyboard focus where the app asks (backspasm_edu.widgets._common.move_focus): each
// focus target carries a number, and a target with a number not yet seen gets focus once.
(function () {
  "use strict";
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
  new MutationObserver(focusNewTargets).observe(document.documentElement, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ["data-backspasm-focus"],
  });
})();
