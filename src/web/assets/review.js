// The review page: every change of a verified rating or note is saved at once through the API
// (PUT /api/v1/assessments/{id}/review/ratings/{criterion} with If-Match; choosing "agree with
// the self-assessment" again takes the rating back with DELETE), with its state shown beside
// it. After each save the bar's figures (verified overall as the review stands, criteria rated
// otherwise) are redrawn from GET /api/v1/assessments/{id}/review. A version conflict (another
// sitting saved meanwhile) shows that rating and asks to reload.
(function () {
  "use strict";
  var sheet = document.getElementById("sheet");
  if (!sheet || !window.dcmm) return;
  var lang = document.documentElement.lang === "en" ? "en" : "zh";
  var TEXT = {
    zh: {
      saving: "保存中…", saved: "已保存", failed: "保存失败", offline: "无法连接服务器",
      conflict: "此条款的审核评定已在别处修改，请刷新页面后再改。", frozen: "此评估已不在审核中：请刷新页面。",
      levels: ["未达初始级", "初始级", "受管理级", "稳健级", "量化管理级", "优化级"], level: "第 {n} 级 · {name}"
    },
    en: {
      saving: "Saving…", saved: "Saved", failed: "Not saved", offline: "the server cannot be reached",
      conflict: "This criterion's verified rating was changed elsewhere: reload the page before changing it.",
      frozen: "This assessment is no longer under review: reload the page.",
      levels: ["below Initial", "Initial", "Managed", "Robust", "Quantitatively managed", "Optimizing"], level: "Level {n} · {name}"
    }
  }[lang];
  function levelLabel(n) {
    return n === 0 ? TEXT.levels[0] : TEXT.level.replace("{n}", n).replace("{name}", TEXT.levels[n]);
  }
  var assessment = sheet.getAttribute("data-assessment");
  var base = "/api/v1/assessments/" + encodeURIComponent(assessment) + "/review";
  function figure(name) { return document.querySelector('[data-figure="' + name + '"]'); }
  function setText(name, text) { var el = figure(name); if (el) el.textContent = text; }

  var nav = document.getElementById("sheet-nav");
  if (nav && window.matchMedia && window.matchMedia("(max-width: 900px)").matches) nav.open = false;

  function show(box, kind, text) {
    var out = box.querySelector(".save-state");
    if (!out) return;
    out.className = "save-state " + kind;
    out.textContent = text;
  }
  function messageOf(res) {
    var b = res.body;
    if (b && b.fields) {
      var keys = Object.keys(b.fields);
      if (keys.length) return keys[0] + ": " + b.fields[keys[0]].join("; ");
    }
    return b && b.message ? b.message : "HTTP " + res.status;
  }
  // Only the answer to the latest request is drawn: an earlier one arriving late is stale.
  var asked = 0;
  function redraw() {
    var mine = ++asked;
    window.dcmm.api("GET", base).then(function (res) {
      if (mine !== asked || !res.ok || !res.body) return;
      var st = res.body.standing;
      setText("review-self", st.self_score.toFixed(2));
      setText("review-self-level", levelLabel(st.self_level));
      setText("review-verified", st.verified_score.toFixed(2));
      setText("review-verified-level", levelLabel(st.verified_level));
      setText("review-rerated", String(st.re_rated));
      setText("review-rated", String(res.body.ratings.length));
    }, function () {});
  }

  sheet.querySelectorAll("article.criterion").forEach(function (article) {
    var box = article.querySelector(".review-rating");
    if (!box) return;
    var select = box.querySelector("select");
    var note = box.querySelector("textarea");
    if (!select || select.disabled) return;
    var criterion = article.getAttribute("data-criterion");
    var own = article.querySelector('input[type="radio"]:checked');
    var st = {
      version: parseInt(box.getAttribute("data-review-version"), 10) || 0,
      inflight: false, again: false, conflict: false,
      saved: { rating: select.value, note: note ? note.value : "" }
    };
    function now() { return { rating: select.value, note: note ? note.value : "" }; }
    function mark() {
      var badge = box.querySelector("[data-rerated]");
      if (!badge) return;
      var rating = select.value;
      badge.hidden = !rating || (own && own.value === rating);
    }
    function save() {
      if (st.conflict) return;
      if (st.inflight) { st.again = true; return; }
      var want = now();
      if (want.rating === st.saved.rating && want.note === st.saved.note) return;
      var path = base + "/ratings/" + encodeURIComponent(criterion);
      var headers = { "If-Match": '"' + st.version + '"' };
      st.inflight = true;
      show(box, "saving", TEXT.saving);
      var call = want.rating
        ? window.dcmm.api("PUT", path, { rating: want.rating, note: want.note }, headers)
        : window.dcmm.api("DELETE", path, null, headers);
      call.then(function (res) {
        st.inflight = false;
        var code = res.body && res.body.error;
        if (res.ok) {
          st.version = want.rating ? res.body.version : 0;
          st.saved = want;
          box.setAttribute("data-review-version", String(st.version));
          mark();
          show(box, "saved", TEXT.saved);
          redraw();
          if (st.again) { st.again = false; save(); }
        } else if (res.status === 409 && code === "version_conflict") {
          st.conflict = true;
          show(box, "failed", TEXT.conflict);
        } else if (res.status === 409) {
          show(box, "failed", TEXT.frozen);
        } else {
          st.again = false;
          show(box, "failed", TEXT.failed + (lang === "zh" ? "：" : ": ") + messageOf(res));
        }
      }, function () {
        st.inflight = false;
        show(box, "failed", TEXT.failed + (lang === "zh" ? "：" : ": ") + TEXT.offline);
      });
    }
    select.addEventListener("change", save);
    if (note) {
      note.addEventListener("change", save);
      var timer = null;
      note.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(save, 800);
      });
    }
  });
})();
