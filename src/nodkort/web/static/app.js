// nodkort staff page: update the card preview within half a second of a change, without reloading the page.
// No framework and nothing from the network: the page works without this file too (the Visa button).
"use strict";

// A report or a batch on its way (<main data-poll="seconds">): ask for the page again and put its new content
// in place, until it no longer asks to be polled. Not a meta refresh: that reloads the whole page, and a screen
// reader with it, every few seconds.
const poll = (seconds) => {
  setTimeout(async () => {
    let wait = seconds;
    try {
      const answer = await fetch(location.href, { credentials: "same-origin" });
      const page = new DOMParser().parseFromString(await answer.text(), "text/html");
      const fresh = page.querySelector("main");
      const current = document.querySelector("main");
      if (fresh && current) {
        document.title = page.title;
        current.replaceWith(document.adoptNode(fresh));
        if (!fresh.hasAttribute("data-poll")) return;
        wait = Number(fresh.getAttribute("data-poll")) || seconds;
      } else {
        wait = Number(answer.headers.get("Retry-After")) || seconds; // busy: the answer is a line of text
      }
    } catch (error) {
      // the server is restarting or the network is away for a moment: ask again
    }
    poll(wait);
  }, seconds * 1000);
};

document.addEventListener("DOMContentLoaded", () => {
  const polled = document.querySelector("main[data-poll]");
  if (polled) poll(Number(polled.getAttribute("data-poll")) || 2);
});

document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("card-form");
  if (!form) return;
  let timer = 0;
  let asked = 0;
  let pending = null; // the request on its way: aborted when a newer change replaces it
  // This page, named to the server: a newer preview request from it replaces the older one there too, so a
  // preview nobody will see is not rendered.
  const view = Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, "0")).join("");
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
      if (pending) pending.abort();
      const controller = new AbortController();
      pending = controller;
      try {
        const answer = await fetch("/card/preview?" + q, {
          credentials: "same-origin",
          headers: { "X-Nodkort-View": view },
          signal: controller.signal,
        });
        const html = await answer.text();
        if (mine !== asked) return; // a newer change is on its way
        pending = null;
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
        if (mine === asked) preview.removeAttribute("aria-busy"); // not when a newer request aborted this one
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
