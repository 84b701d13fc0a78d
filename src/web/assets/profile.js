// The profile page: saves the whole profile through the API as it is filled (a short pause
// after the last change), says saving / saved / failed, names refused answers next to their
// questions, offers to load the latest on a version conflict, and redraws the eligibility
// pre-check and the CDO summary from the server's answer (the server computes them; the words
// come from the panels' data- attributes). Without this script the form posts to /profile.
(function () {
  "use strict";
  var form = document.getElementById("profile-form");
  if (!form || !window.dcmm) return;
  form.noValidate = true;
  var path = "/api/v1/enterprises/" + form.getAttribute("data-enterprise") + "/profile";
  var version = document.getElementById("profile-version");
  var state = document.getElementById("save-state");
  var conflict = document.getElementById("conflict");
  var requiredMessage = form.getAttribute("data-required-message");
  var lang = document.documentElement.lang === "en" ? "en" : "zh";
  var DELAY = 500;
  var RETRY = 5000;
  var timer = null;
  var retry = null;
  var inFlight = false;
  var again = false;
  var unsaved = false;
  var stopped = false;

  function questions() {
    return Array.prototype.slice.call(form.querySelectorAll("[data-question]"));
  }

  function fill(template, pairs) {
    Object.keys(pairs).forEach(function (k) {
      template = template.split("{" + k + "}").join(String(pairs[k]));
    });
    return template;
  }

  // The form's answers by question id, read as the server reads a posted form: an empty field
  // is unanswered, a box group the list of ticked values, a number that does not parse is
  // sent as typed so that the server names it.
  function answers() {
    var out = {};
    questions().forEach(function (q) {
      var id = q.getAttribute("data-question");
      var type = q.getAttribute("data-type");
      var value = null;
      if (type === "multi_choice") {
        value = [];
        q.querySelectorAll('input[type="checkbox"]').forEach(function (box) {
          if (box.checked) value.push(box.value);
        });
      } else if (type === "yes_no") {
        var on = q.querySelector('input[type="radio"]:checked');
        if (on && on.value !== "") value = on.value === "true";
      } else {
        var control = q.querySelector("input, select, textarea");
        var raw = control.value;
        if (type === "number") {
          raw = raw.trim();
          if (control.validity && control.validity.badInput) value = "?";
          else if (raw !== "") value = /^-?\d+$/.test(raw) ? parseInt(raw, 10) : raw;
        } else if (type === "text") {
          if (raw.trim() !== "") value = raw;
        } else if (raw !== "") {
          value = raw;
        }
      }
      if (value !== null) out[id] = value;
    });
    return out;
  }

  function say(key, n) {
    state.textContent = fill(state.getAttribute("data-" + key) || "", { n: n });
    state.className = "save-state " + key;
  }

  // Shows the server's messages next to their questions; answers how many were named. A
  // question the user has not reached yet is not told off for being empty: it is only counted
  // in `waiting` (a profile never saved is saved once every required answer is there).
  var waiting = 0;
  function showErrors(fields) {
    var count = 0;
    waiting = 0;
    questions().forEach(function (q) {
      var id = q.getAttribute("data-question");
      var p = document.getElementById("error-" + id);
      var messages = fields && fields["answers." + id];
      var controls = q.tagName === "FIELDSET" ? [] : q.querySelectorAll("input, select, textarea");
      var onlyEmpty = messages && messages.length === 1 && messages[0] === requiredMessage;
      if (onlyEmpty && !q.hasAttribute("data-touched")) {
        waiting += 1;
        p.textContent = "";
        p.hidden = true;
        controls.forEach(function (c) { c.removeAttribute("aria-invalid"); });
      } else if (messages && messages.length) {
        count += 1;
        p.textContent = messages.indexOf(requiredMessage) >= 0
          ? p.getAttribute("data-required") : p.getAttribute("data-invalid");
        p.hidden = false;
        controls.forEach(function (c) { c.setAttribute("aria-invalid", "true"); });
      } else {
        p.textContent = "";
        p.hidden = true;
        controls.forEach(function (c) { c.removeAttribute("aria-invalid"); });
      }
    });
    return count;
  }

  function span(parent, className, text) {
    var s = document.createElement("span");
    s.className = className;
    s.textContent = text;
    parent.appendChild(s);
    return s;
  }

  function drawPrecheck(e) {
    var panel = document.getElementById("precheck");
    if (!panel || !e) return;
    var w = function (k) { return panel.getAttribute("data-" + k) || ""; };
    var unmet = e.conditions.filter(function (c) { return !c.met; }).length;
    var verdict = panel.querySelector(".verdict");
    verdict.textContent = e.all_met ? w("all-met") : fill(w("some-unmet"), { n: unmet, total: e.conditions.length });
    verdict.className = "verdict " + (e.all_met ? "met" : "unmet");
    var list = panel.querySelector("ul.checks");
    list.textContent = "";
    e.conditions.forEach(function (c) {
      var li = document.createElement("li");
      li.className = c.met ? "met" : "unmet";
      li.setAttribute("data-key", c.key);
      span(li, "mark", c.met ? "\u2713" : "\u2717").setAttribute("aria-hidden", "true");
      li.appendChild(document.createTextNode(" "));
      span(li, "state", c.met ? w("met") : w("unmet"));
      li.appendChild(document.createTextNode(" "));
      span(li, "label", c.label[lang]);
      li.appendChild(document.createTextNode(" "));
      span(li, "value", fill(w("value"), { value: c.value, required: c.required }));
      list.appendChild(li);
    });
  }

  // The label the form gives an option of a question (a select's option or a box's label).
  function optionLabel(question, value) {
    var q = form.querySelector('[data-question="' + question + '"]');
    if (!q) return value;
    var found = null;
    q.querySelectorAll("option, input").forEach(function (el) {
      if (el.value === value) found = el;
    });
    if (!found) return value;
    return (found.tagName === "OPTION" ? found.textContent : found.parentNode.textContent).trim();
  }

  function drawCdo(c) {
    var panel = document.getElementById("cdo");
    if (!panel || !c) return;
    var w = function (k) { return panel.getAttribute("data-" + k) || ""; };
    var set = function (name, text) {
      var el = panel.querySelector('[data-figure="' + name + '"]');
      if (el) el.textContent = text;
    };
    var duties = function (values) {
      if (!values.length) return w("none");
      return values.map(function (v) { return optionLabel(w("duties-question"), v); })
        .join(w("separator"));
    };
    set("cdo-appointed", c.appointed ? w("yes") : w("no"));
    set("cdo-rank", c.rank
      ? optionLabel(w("rank-question"), c.rank) + (c.decision_level ? w("decision") : "")
      : w("none"));
    set("cdo-in-charter", c.in_charter ? w("yes") : w("no"));
    set("cdo-duties-count", fill(w("duties-count"), { n: c.duties.length, total: c.duties_total }));
    set("cdo-duties", duties(c.duties));
    set("cdo-missing", duties(c.missing_duties));
  }

  function failed() {
    say("failed");
    clearTimeout(retry);
    retry = setTimeout(save, RETRY);
  }

  function save() {
    if (stopped) return;
    clearTimeout(timer);
    clearTimeout(retry);
    timer = null;
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = true;
    again = false;
    say("saving");
    dcmm.api("PUT", path, { answers: answers() }, { "If-Match": version.value }).then(function (res) {
      inFlight = false;
      if (res.ok && res.body) {
        version.value = res.body.version;
        showErrors(null);
        drawPrecheck(res.body.eligibility);
        drawCdo(res.body.cdo);
        if (again) {
          save();
        } else {
          unsaved = false;
          say("saved");
        }
      } else if (res.status === 422) {
        var named = showErrors(res.body && res.body.fields);
        if (named) {
          say("invalid", named);
        } else {
          say("waiting", waiting);
        }
        if (again) schedule();
      } else if (res.status === 409) {
        stopped = true;
        state.textContent = "";
        conflict.hidden = false;
        document.getElementById("conflict-reload").focus();
      } else if (res.status >= 500) {
        failed();
      } else {
        say("failed");
      }
    }, function () {
      inFlight = false;
      failed();
    });
  }

  function touch(e) {
    var q = e.target && e.target.closest ? e.target.closest("[data-question]") : null;
    if (q) q.setAttribute("data-touched", "");
  }

  function schedule() {
    unsaved = true;
    clearTimeout(timer);
    timer = setTimeout(save, DELAY);
  }

  say("idle");
  form.addEventListener("input", function (e) { touch(e); schedule(); });
  form.addEventListener("change", function (e) { touch(e); schedule(); });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    // Saving on purpose names every missing answer.
    questions().forEach(function (q) { q.setAttribute("data-touched", ""); });
    unsaved = true;
    save();
  });
  document.getElementById("conflict-reload").addEventListener("click", function () {
    unsaved = false;
    window.location.reload();
  });
  window.addEventListener("beforeunload", function (e) {
    if (unsaved && !stopped) {
      e.preventDefault();
      e.returnValue = "";
    }
  });
})();
