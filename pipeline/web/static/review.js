// The one piece the server cannot do: turn the officer's selection in the source text into
// document offsets. Each <span data-s="N"> of #source-text starts at offset N of the text.
(function () {
  const source = document.getElementById("source-text");
  if (!source) return;

  function offset(node, within) {
    let el = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
    if (el === source) {   // a boundary between spans: the child index says where
      const child = source.childNodes[within];
      return child ? Number(child.dataset.s) : source.textContent.length;
    }
    while (el && el.parentElement !== source) el = el.parentElement;
    return el ? Number(el.dataset.s) + (node.nodeType === Node.TEXT_NODE ? within : 0) : null;
  }

  document.addEventListener("selectionchange", function () {
    const sel = document.getSelection();
    if (!sel.rangeCount || !source.contains(sel.anchorNode) || !source.contains(sel.focusNode)) return;
    const a = offset(sel.anchorNode, sel.anchorOffset), b = offset(sel.focusNode, sel.focusOffset);
    if (a === null || b === null) return;
    const start = Math.min(a, b), end = Math.max(a, b);
    const add = document.getElementById("add-task");
    add.elements.start.value = start < end ? start : "";
    add.elements.end.value = start < end ? end : "";
    add.querySelector(".selection").textContent = start < end ? source.textContent.slice(start, end) : "(chưa chọn đoạn nào)";
    // a cursor inside a task: that task's split point
    document.querySelectorAll("article.task").forEach(function (card) {
      const form = card.querySelector("form.split");
      if (!form) return;
      const inside = start === end && Number(card.dataset.start) < start && start < Number(card.dataset.end);
      form.elements.at.value = inside ? start : "";
      card.classList.toggle("split-here", inside);
    });
  });

  // clicking a highlighted task in the text brings its card into view
  source.addEventListener("dblclick", function (event) {
    const target = event.target.closest("[data-target]");
    if (target) document.getElementById(target.dataset.target)?.scrollIntoView({behavior: "smooth", block: "center"});
  });
})();
