// nodkort staff page: update the card preview within half a second of a change, without reloading the page.
// No framework and nothing from the network: the page works without this file too (the Visa button).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("card-form");
  if (!form) return;
  let timer = 0;
  let asked = 0;
  const query = () => {
    const fields = new FormData(form);
    fields.delete("count");
    fields.delete("paper");
    return new URLSearchParams(fields).toString();
  };
  const update = () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const mine = ++asked;
      const q = query();
      const preview = document.getElementById("preview");
      preview.setAttribute("aria-busy", "true");
      try {
        const answer = await fetch("/card/preview?" + q, { credentials: "same-origin" });
        const html = await answer.text();
        if (mine !== asked) return; // a newer change is on its way
        if (!answer.ok) {
          // Busy (503) or an unexpected error: the answer is plain text, not a preview. Keep the preview
          // section, say so in it, and ask again after Retry-After when the server is busy.
          preview.removeAttribute("aria-busy");
          let note = document.getElementById("preview-note");
          if (!note) {
            note = document.createElement("p");
            note.id = "preview-note";
            note.className = "warning";
            note.setAttribute("role", "status");
            preview.prepend(note);
          }
          note.textContent = html;
          const wait = Number(answer.headers.get("Retry-After"));
          if (answer.status === 503 && wait > 0) setTimeout(update, wait * 1000);
          return;
        }
        document.getElementById("preview").outerHTML = html;
        history.replaceState(null, "", "/?" + q);
      } catch (error) {
        preview.removeAttribute("aria-busy");
      }
    }, 120);
  };
  form.addEventListener("change", (event) => {
    const name = event.target.name;
    if (name === "count" || name === "paper") return;
    if (name === "card") {
      // Another card has other formats: load the page for it (the format falls back to the card's default).
      form.elements["format"].value = "";
      form.submit();
      return;
    }
    update();
  });
  form.addEventListener("input", (event) => {
    if (event.target.name === "municipality") update();
  });
  document.body.classList.add("js");
});
