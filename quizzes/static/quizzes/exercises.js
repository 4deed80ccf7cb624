// Answer an exercise in place: post the form, swap in the exercise the server renders.
// Without JavaScript (or if anything fails) the form posts normally and the page reloads.
document.addEventListener("submit", async (event) => {
  const form = event.target.closest(".exercise-form");
  if (!form || !window.fetch) return;
  event.preventDefault();
  const exercise = form.closest(".exercise");
  const button = form.querySelector("button[type=submit]");
  if (button) button.disabled = true;
  try {
    const response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin",
    });
    if (!response.ok && response.status !== 429) throw new Error(response.status);  // 429: it says why
    const template = document.createElement("template");
    template.innerHTML = (await response.text()).trim();
    const replacement = template.content.querySelector(".exercise");
    if (!replacement) throw new Error("no exercise");
    exercise.replaceWith(replacement);
    const focus = replacement.querySelector(".exercise-feedback, .exercise-error");
    if (focus) { focus.setAttribute("tabindex", "-1"); focus.focus(); }
  } catch (error) {
    form.submit();
  }
});
