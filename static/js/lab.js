// The live lab: redraw the plot and the key numbers in place as the learner changes a
// parameter. The page works without this script (a GET form); with it, the same view
// answers the output alone (X-Requested-With: fetch, simulations/views.py), so the server
// still reads the typed numbers, words the errors and writes the numbers in the page's
// language. Bounded numeric fields get a slider beside their text input; the text input
// stays what the form sends.
(() => {
  "use strict";
  const form = document.querySelector(".lab-form");
  const output = document.querySelector(".lab-output");
  if (!form || !output || !window.fetch || !window.AbortController) return;

  const DEBOUNCE_MS = 250;
  const POSITIONS = 1000;  // a slider's steps when its range is not a few whole numbers
  const decimal = form.dataset.decimal || ".";
  const sliders = new Map();  // field name -> {input, range, scale}
  let timer = null;
  let poll = null;
  let running = null;  // the AbortController of the request in flight
  let leaving = false;  // the form is being submitted: the page is about to be replaced

  // ---- Sliders -------------------------------------------------------------------

  function decimalsFor(step) {
    return Math.max(0, -Math.floor(Math.log10(step)));
  }

  // Map a slider's position to a value and back: log-scaled, whole, or linear.
  function scaleOf(input) {
    const minimum = Number(input.dataset.minimum);
    const maximum = Number(input.dataset.maximum);
    const whole = input.dataset.whole === "true";
    const log = input.dataset.logScale === "true" && minimum > 0;
    if (whole && !log && maximum - minimum <= POSITIONS) {
      return { min: minimum, max: maximum, toValue: (p) => p, toPosition: (v) => v };
    }
    const low = log ? Math.log10(minimum) : minimum;
    const high = log ? Math.log10(maximum) : maximum;
    const digits = decimalsFor((high - low) / POSITIONS);
    return {
      min: 0,
      max: POSITIONS,
      toValue(position) {
        const x = low + ((high - low) * position) / POSITIONS;
        if (whole) return Math.round(log ? 10 ** x : x);
        // Three significant digits on a log scale, the step's decimals on a linear one.
        return log ? Number((10 ** x).toPrecision(3)) : Number(x.toFixed(digits));
      },
      toPosition: (value) => ((log ? Math.log10(value) : value) - low) / (high - low) * POSITIONS,
    };
  }

  // Write a number as the page writes it in its inputs (Django's localize_input): positional,
  // never 1e-7, no grouping, the page's decimal separator, and "10,0" for a whole float.
  function formatted(value, whole) {
    if (whole) return String(value);
    if (Number.isInteger(value) && Math.abs(value) < 1e16) return `${value}${decimal}0`;
    return positional(value).replace(".", decimal);
  }

  function positional(value) {
    const text = String(value);
    const match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
    if (!match) return text;
    const [, sign, head, tail = "", exponent] = match;
    const shift = Number(exponent);
    if (shift < 0) return `${sign}0.${"0".repeat(-shift - 1)}${head}${tail}`;
    return sign + head + tail + "0".repeat(Math.max(0, shift - tail.length));
  }

  function placeSlider(name, value) {
    const slider = sliders.get(name);
    // A slider the learner holds is not moved under their hand (a rounding could nudge it).
    if (!slider || !Number.isFinite(value) || slider.range === document.activeElement) return;
    const { range, scale } = slider;
    const position = Math.min(scale.max, Math.max(scale.min, Math.round(scale.toPosition(value))));
    range.value = String(position);
    range.setAttribute("aria-valuetext", slider.input.value);
  }

  function addSlider(input) {
    const scale = scaleOf(input);
    if (!(scale.max > scale.min)) return;
    const range = document.createElement("input");
    range.type = "range";
    range.className = "lab-slider";
    range.id = `${input.id}_slider`;
    range.min = String(scale.min);
    range.max = String(scale.max);
    range.step = "1";
    range.dataset.for = input.name;
    // Named as its text input (the field's label); the form sends only the text input.
    const label = form.querySelector(`label[for="${input.id}"]`);
    range.setAttribute("aria-label", label ? label.textContent.trim() : input.name);
    const help = input.getAttribute("aria-describedby");
    if (help) range.setAttribute("aria-describedby", help.split(/\s+/).filter((id) => id.endsWith("_helptext")).join(" "));
    input.after(range);
    sliders.set(input.name, { input, range, scale, whole: input.dataset.whole === "true" });
  }

  // Place every slider where the server read its field ("5 × 10⁻¹", "0,5": its reading, not ours).
  function placeSliders(root) {
    for (const data of root.querySelectorAll(".lab-values data")) {
      placeSlider(data.dataset.field, Number(data.value));
    }
  }

  for (const input of form.querySelectorAll("input[data-minimum][data-maximum]")) addSlider(input);
  placeSliders(form);

  // ---- Errors, as the page without script shows them ------------------------------

  function describedBy(input, id, present) {
    const ids = (input.getAttribute("aria-describedby") || "").split(/\s+/).filter((x) => x && x !== id);
    if (present) ids.push(id);
    if (ids.length) input.setAttribute("aria-describedby", ids.join(" "));
    else input.removeAttribute("aria-describedby");
  }

  function showErrors(root) {
    const fresh = root.querySelector(".lab-errors");
    const shown = form.querySelector(".lab-errors");
    if (!fresh && shown) shown.remove();
    else if (fresh && (!shown || shown.textContent !== fresh.textContent)) {
      if (shown) shown.replaceWith(fresh); else form.prepend(fresh);
    }
    for (const field of form.querySelectorAll(".lab-field")) {
      const input = field.querySelector("input:not(.lab-slider), select");
      if (!input) continue;
      const error = root.querySelector(`.lab-field-error[data-field="${CSS.escape(input.name)}"]`);
      const current = field.querySelector(".lab-field-error");
      // The same message stays the same node: an alert is announced again only when it changes.
      if (current && (!error || current.textContent !== error.textContent)) current.remove();
      if (error && !(current && current.textContent === error.textContent)) {
        field.insertBefore(error, field.querySelector(".lab-help"));
      }
      field.classList.toggle("has-error", Boolean(error));
      if (error) input.setAttribute("aria-invalid", "true"); else input.removeAttribute("aria-invalid");
      describedBy(input, `${input.id}_error`, Boolean(error));
    }
  }

  // ---- The output ----------------------------------------------------------------

  // The URL the <picture> will load here: the narrow drawing on a narrow screen.
  function plotUrl(section) {
    const img = section.querySelector(".sim-figure img");
    if (!img) return null;
    const source = section.querySelector(".sim-figure source");
    if (source && window.matchMedia(source.media).matches) return source.getAttribute("srcset");
    return img.getAttribute("src");
  }

  // Load the new plot before showing it, so the old one stays until the new one can replace it.
  async function preload(url) {
    if (!url) return;
    const probe = new Image();
    probe.src = url;
    try { await probe.decode(); } catch (error) { /* shown as the page would show it */ }
  }

  function markPlotShown() {
    const img = output.querySelector(".sim-figure img");
    const done = () => {
      performance.mark("lab-plot-loaded");
      try {
        performance.measure("lab-update", "lab-change", "lab-plot-loaded");
        performance.measure("lab-request-to-plot", "lab-request", "lab-plot-loaded");
      } catch (error) { /* no change marked: the first view */ }
      output.dataset.updated = String((Number(output.dataset.updated) || 0) + 1);
    };
    if (!img || img.complete) done(); else img.addEventListener("load", done, { once: true });
  }

  function swapOutput(section) {
    const hadFocus = output.contains(document.activeElement);
    output.replaceChildren(...section.childNodes);
    if (hadFocus) {  // never drop the learner's focus on the body
      const target = output.querySelector(".figure-zoom") || output;
      if (target === output) output.setAttribute("tabindex", "-1");
      target.focus({ preventScroll: true });
    }
    markPlotShown();
  }

  function queryOfForm() {
    return new URLSearchParams(new FormData(form)).toString();
  }

  async function update() {
    clearTimeout(timer);
    clearTimeout(poll);
    if (leaving) return;
    if (running) running.abort();  // the latest request wins
    const controller = new AbortController();
    running = controller;
    const url = `${window.location.pathname}?${queryOfForm()}`;
    history.replaceState(history.state, "", url);  // the address shares this configuration
    output.setAttribute("aria-busy", "true");
    performance.mark("lab-request");
    try {
      const response = await fetch(url, {
        headers: { "X-Requested-With": "fetch" },
        credentials: "same-origin",
        signal: controller.signal,
      });
      const template = document.createElement("template");
      template.innerHTML = await response.text();
      const section = template.content.querySelector(".lab-output");
      if (!section) throw new Error(`no output in the answer (${response.status})`);
      showErrors(template.content);
      placeSliders(template.content);
      await preload(plotUrl(section));
      if (controller.signal.aborted) return;
      swapOutput(section);
      if (response.status === 202) {  // queued: ask again when the server says
        const wait = Number(response.headers.get("Retry-After")) || 2;
        poll = setTimeout(update, wait * 1000);
      }
    } catch (error) {
      if (controller.signal.aborted) return;
      leaving = true;
      form.submit();  // the network or the answer failed: let the page do it
    } finally {
      if (running === controller) {
        running = null;
        output.removeAttribute("aria-busy");
      }
    }
  }

  function schedule() {
    performance.mark("lab-change");
    clearTimeout(timer);
    timer = setTimeout(update, DEBOUNCE_MS);
  }

  form.addEventListener("input", (event) => {
    const target = event.target;
    if (target.classList.contains("lab-slider")) {
      const slider = sliders.get(target.dataset.for);
      slider.input.value = formatted(slider.scale.toValue(Number(target.value)), slider.whole);
      target.setAttribute("aria-valuetext", slider.input.value);
    }
    schedule();
  });

  // The Run button and Enter still load the page (as without script): stop what is pending.
  form.addEventListener("submit", () => {
    leaving = true;
    clearTimeout(timer);
    clearTimeout(poll);
    if (running) running.abort();
  });
})();
