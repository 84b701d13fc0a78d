// The questionnaire page: every change of a rating or comment is saved at once through the
// API (PUT /api/v1/assessments/{id}/answers/{criterion} with If-Match), with its state shown
// beside it; a failed save stays visible and is retried with backoff and on the next change; a
// version conflict shows the other person's answer and lets the user keep either. After each
// save the item, domain and overall figures are redrawn from GET /api/v1/assessments/{id}/score,
// the scoring the server uses. Evidence is uploaded to a criterion or linked to it. The filters
// (unanswered only, one level) apply at once and stay in the URL.
(function () {
  "use strict";
  var sheet = document.getElementById("sheet");
  if (!sheet || !window.dcmm) return;
  var lang = document.documentElement.lang === "en" ? "en" : "zh";
  var TEXT = {
    zh: {
      saving: "保存中…", saved: "已保存", failed: "保存失败", retryIn: "，{n} 秒后重试",
      offline: "无法连接服务器", needRating: "请先选择评级，备注才能保存",
      conflict: "其他人已修改此条款（{rating}{comment}）。请选择保留哪一份：",
      theirComment: "，备注：“{c}”", keepMine: "保留我的", takeTheirs: "采用对方的",
      tookTheirs: "已采用对方的答案", unknownTheirs: "无法读取对方的答案，稍后重试",
      uploading: "上传中…", uploaded: "已上传并关联：{f}", linking: "关联中…", linked: "已关联：{f}",
      chooseFile: "请先选择一个文件", evidenceFailed: "证据未保存：{m}", tooLarge: "文件太大",
      level: "第 {n} 级 · {name}", reached: "已达到", notReached: "未达到",
      levels: ["未达初始级", "初始级", "受管理级", "稳健级", "量化管理级", "优化级"],
      unanswered: "未答"
    },
    en: {
      saving: "Saving…", saved: "Saved", failed: "Not saved", retryIn: "; retrying in {n} s",
      offline: "the server cannot be reached", needRating: "Choose a rating first: a comment is saved with it",
      conflict: "Someone else changed this criterion ({rating}{comment}). Choose which to keep:",
      theirComment: ", comment: \u201c{c}\u201d", keepMine: "Keep mine", takeTheirs: "Take theirs",
      tookTheirs: "Their answer is taken", unknownTheirs: "Their answer could not be read; retrying",
      uploading: "Uploading…", uploaded: "Uploaded and linked: {f}", linking: "Linking…", linked: "Linked: {f}",
      chooseFile: "Choose a file first", evidenceFailed: "Evidence not saved: {m}", tooLarge: "the file is too large",
      level: "Level {n} · {name}", reached: "reached", notReached: "not reached",
      levels: ["below Initial", "Initial", "Managed", "Robust", "Quantitatively managed", "Optimizing"],
      unanswered: "unanswered"
    }
  }[lang];
  function say(key, values) {
    return TEXT[key].replace(/\{(\w+)\}/g, function (_, k) { return values && k in values ? values[k] : ""; });
  }
  function levelLabel(n) {
    return n === 0 ? TEXT.levels[0] : say("level", { n: n, name: TEXT.levels[n] });
  }
  var assessment = sheet.getAttribute("data-assessment");
  var itemId = sheet.getAttribute("data-item");
  var domainId = sheet.getAttribute("data-domain");
  var editable = sheet.getAttribute("data-editable") === "1";
  var base = "/api/v1/assessments/" + encodeURIComponent(assessment);
  function figure(name) { return document.querySelector('[data-figure="' + name + '"]'); }
  function setText(el, text) { if (el) el.textContent = text; }

  // --- The navigation folds on a phone. ---
  var nav = document.getElementById("sheet-nav");
  if (nav && window.matchMedia && window.matchMedia("(max-width: 900px)").matches) nav.open = false;

  // --- Filters: applied at once, kept in the URL and in the links to other items. ---
  var onlyOpen = document.getElementById("only-open");
  var onlyLevel = document.getElementById("only-level");
  var apply = document.querySelector("#filters .apply");
  if (apply) apply.hidden = true;
  function filter() {
    var open = onlyOpen && onlyOpen.checked;
    var level = onlyLevel ? onlyLevel.value : "";
    var shown = 0;
    sheet.querySelectorAll("section.level").forEach(function (section) {
      var visible = 0;
      section.querySelectorAll("article.criterion").forEach(function (c) {
        var keep = !(open && c.classList.contains("answered")) &&
          (!level || c.getAttribute("data-level") === level);
        c.hidden = !keep;
        if (keep) visible += 1;
      });
      section.hidden = visible === 0;
      shown += visible;
    });
    var nothing = document.getElementById("nothing-shown");
    if (nothing) nothing.hidden = shown > 0;
    var domains = sheet.querySelector("ol.domains");
    if (domains) domains.classList.toggle("open-only", !!open);
    function withFilter(href) {
      var url = new URL(href, location.href);
      if (open) url.searchParams.set("unanswered", "1"); else url.searchParams.delete("unanswered");
      if (level) url.searchParams.set("level", level); else url.searchParams.delete("level");
      return url.pathname + url.search + url.hash;
    }
    sheet.querySelectorAll('a[href*="item="]').forEach(function (a) {
      a.setAttribute("href", withFilter(a.getAttribute("href")));
    });
    document.querySelectorAll("table.differences a").forEach(function (a) {
      a.setAttribute("href", withFilter(a.getAttribute("href")));
    });
    if (window.history && history.replaceState) {
      history.replaceState(null, "", withFilter(location.href));
    }
  }
  if (onlyOpen) onlyOpen.addEventListener("change", filter);
  if (onlyLevel) onlyLevel.addEventListener("change", filter);

  if (!editable) return;

  // --- Answers: one state per criterion. ---
  var states = {};
  sheet.querySelectorAll("article.criterion").forEach(function (el) {
    var st = {
      el: el, id: el.getAttribute("data-criterion"),
      version: parseInt(el.getAttribute("data-version"), 10) || 0,
      inflight: false, again: false, failed: false, attempts: 0,
      debounce: null, retry: null, conflict: null
    };
    st.saved = current(st);
    if (st.version === 0) st.saved = { rating: null, comment: "" };
    states[st.id] = st;
  });
  function stateOf(node) {
    var el = node.closest ? node.closest("article.criterion") : null;
    return el ? states[el.getAttribute("data-criterion")] : null;
  }
  function current(st) {
    var checked = st.el.querySelector('input[type="radio"]:checked');
    var text = st.el.querySelector("textarea");
    return { rating: checked ? checked.value : null, comment: text ? text.value : "" };
  }
  function dirty(st) {
    var now = current(st);
    return now.rating !== st.saved.rating || now.comment !== st.saved.comment;
  }
  function show(st, kind, text) {
    var out = st.el.querySelector(".save-state");
    if (!out) return;
    out.className = "save-state " + kind;
    out.textContent = text;
  }
  function fail(st, why, retry) {
    st.failed = true;
    var text = TEXT.failed + (why ? (lang === "zh" ? "：" : ": ") + why : "");
    if (retry) {
      st.attempts += 1;
      var delay = Math.min(30000, 1000 * Math.pow(2, st.attempts - 1));
      text += say("retryIn", { n: Math.round(delay / 1000) });
      clearTimeout(st.retry);
      st.retry = setTimeout(function () { save(st); }, delay);
    }
    show(st, "failed", text);
  }
  function messageOf(res) {
    var b = res.body;
    if (b && b.fields) {
      var keys = Object.keys(b.fields);
      if (keys.length) return keys[0] + ": " + b.fields[keys[0]].join("; ");
    }
    return b && b.message ? b.message : "HTTP " + res.status;
  }
  function save(st) {
    clearTimeout(st.debounce);
    if (st.conflict) return;
    var now = current(st);
    if (!now.rating) {
      if (now.comment !== st.saved.comment) show(st, "failed", TEXT.needRating);
      return;
    }
    if (st.inflight) { st.again = true; return; }
    if (!dirty(st) && !st.failed) return;
    clearTimeout(st.retry);
    st.inflight = true;
    show(st, "saving", TEXT.saving);
    var path = base + "/answers/" + encodeURIComponent(st.id);
    window.dcmm.api("PUT", path, now, { "If-Match": '"' + st.version + '"' }).then(function (res) {
      st.inflight = false;
      var code = res.body && res.body.error;
      if (res.ok) {
        st.version = res.body.version;
        st.saved = { rating: res.body.rating, comment: res.body.comment };
        st.failed = false;
        st.attempts = 0;
        var carried = st.el.querySelector("[data-carried]");
        if (carried) carried.hidden = true;
        answered(st);
        show(st, "saved", TEXT.saved);
        scores();
        if (st.again || dirty(st)) { st.again = false; save(st); }
      } else if (res.status === 409 && code === "version_conflict") {
        st.again = false;
        conflict(st);
      } else if (res.status === 409 && code === "assessment_frozen") {
        frozen();
      } else if (res.status >= 500 || res.status === 429 || res.status === 0) {
        st.again = false;
        fail(st, messageOf(res), true);
      } else {
        // Sending the same again would fail the same way: kept until the next change.
        st.again = false;
        fail(st, messageOf(res), false);
      }
    }, function () {
      st.inflight = false;
      st.again = false;
      fail(st, TEXT.offline, true);
    });
  }

  // A criterion answered for the first time counts in its item, domain and the whole.
  function answered(st) {
    if (st.el.classList.contains("answered")) return;
    st.el.classList.add("answered");
    var todo = st.el.querySelector("[data-todo]");
    if (todo) todo.hidden = true;
    function bump(el) {
      if (!el) return;
      var parts = el.textContent.split("/");
      el.textContent = (parseInt(parts[0], 10) + 1) + "/" + parts[1];
      return parts;
    }
    var item = sheet.querySelector('li[data-item="' + itemId + '"]');
    if (item) {
      var parts = bump(item.querySelector('[data-count="item"]'));
      if (parts && parseInt(parts[0], 10) + 1 === parseInt(parts[1], 10)) {
        item.classList.remove("open");
        item.classList.add("done");
      }
    }
    var domain = sheet.querySelector('li[data-domain="' + domainId + '"]');
    if (domain) {
      bump(domain.querySelector('[data-count="domain"]'));
      var bar = domain.querySelector("progress");
      if (bar) bar.value = bar.value + 1;
    }
    var all = figure("answered");
    if (all) all.textContent = parseInt(all.textContent, 10) + 1;
  }

  // --- Scores: redrawn from the API after saves, one request at a time. ---
  var scoring = { timer: null, busy: false, again: false };
  function scores() {
    clearTimeout(scoring.timer);
    scoring.timer = setTimeout(loadScores, 150);
  }
  function loadScores() {
    if (scoring.busy) { scoring.again = true; return; }
    scoring.busy = true;
    window.dcmm.api("GET", base + "/score").then(function (res) {
      scoring.busy = false;
      if (res.ok && res.body && res.body.self) drawScores(res.body.self);
      if (scoring.again) { scoring.again = false; loadScores(); }
    }, function () {
      scoring.busy = false;
      if (scoring.again) { scoring.again = false; loadScores(); }
    });
  }
  function drawScores(report) {
    setText(figure("overall-score"), report.overall.score.toFixed(2));
    setText(figure("overall-level"), levelLabel(report.overall.level));
    report.domains.forEach(function (d) {
      if (d.id !== domainId) return;
      setText(figure("domain-score"), d.score.toFixed(2));
      d.items.forEach(function (i) {
        if (i.id !== itemId) return;
        setText(figure("item-score"), i.score.toFixed(2));
        setText(figure("item-level"), levelLabel(i.level));
        i.level_scores.forEach(function (s, n) {
          var l = n + 1;
          setText(figure("level-" + l), String(Math.round(s * 100)));
          var step = sheet.querySelector('[data-ladder="' + l + '"]');
          if (!step) return;
          var met = l <= i.level;
          step.className = met ? "met" : "unmet";
          setText(step.querySelector(".verdict"), met ? TEXT.reached : TEXT.notReached);
        });
      });
    });
  }

  // --- Version conflicts: show theirs, keep either. ---
  function theirAnswer(criterion, after) {
    var path = base + "/answers?limit=500" + (after ? "&after=" + encodeURIComponent(after) : "");
    return window.dcmm.api("GET", path).then(function (res) {
      if (!res.ok || !res.body) return null;
      var found = null;
      res.body.items.forEach(function (a) { if (a.criterion === criterion) found = a; });
      if (found || !res.body.next) return found;
      return theirAnswer(criterion, res.body.next);
    });
  }
  function ratingName(st, rating) {
    var input = st.el.querySelector('input[type="radio"][value="' + rating + '"]');
    return input ? input.parentNode.textContent.trim() : rating;
  }
  function conflict(st) {
    st.conflict = true;
    theirAnswer(st.id).then(function (theirs) {
      if (!theirs) {
        st.conflict = null;
        fail(st, TEXT.unknownTheirs, true);
        return;
      }
      st.conflict = theirs;
      var box = document.createElement("div");
      box.className = "conflict";
      box.setAttribute("role", "alert");
      var p = document.createElement("p");
      p.textContent = say("conflict", {
        rating: ratingName(st, theirs.rating),
        comment: theirs.comment ? say("theirComment", { c: theirs.comment }) : ""
      });
      box.appendChild(p);
      [["mine", TEXT.keepMine], ["theirs", TEXT.takeTheirs]].forEach(function (choice) {
        var b = document.createElement("button");
        b.type = "button";
        b.setAttribute("data-keep", choice[0]);
        b.textContent = choice[1];
        box.appendChild(b);
        box.appendChild(document.createTextNode(" "));
      });
      var old = st.el.querySelector(".conflict");
      if (old) old.remove();
      st.el.querySelector(".save-state").before(box);
      show(st, "failed", TEXT.failed);
      box.querySelector("button").focus();
    }, function () {
      st.conflict = null;
      fail(st, TEXT.offline, true);
    });
  }
  function resolve(st, keep) {
    var theirs = st.conflict;
    if (!theirs || theirs === true) return;
    st.conflict = null;
    var box = st.el.querySelector(".conflict");
    if (box) box.remove();
    st.version = theirs.version;
    if (keep === "mine") {
      st.saved = { rating: theirs.rating, comment: theirs.comment };
      st.failed = true;
      save(st);
      return;
    }
    st.el.querySelectorAll('input[type="radio"]').forEach(function (r) { r.checked = r.value === theirs.rating; });
    var text = st.el.querySelector("textarea");
    if (text) text.value = theirs.comment;
    st.saved = { rating: theirs.rating, comment: theirs.comment };
    st.failed = false;
    st.attempts = 0;
    clearTimeout(st.retry);
    answered(st);
    show(st, "saved", TEXT.tookTheirs);
    scores();
  }

  // The assessment was handed in elsewhere: nothing more can be saved.
  function frozen() {
    var note = document.getElementById("frozen");
    if (note) note.hidden = false;
    sheet.querySelectorAll("input, textarea, select, button").forEach(function (c) { c.disabled = true; });
    Object.keys(states).forEach(function (k) { clearTimeout(states[k].retry); states[k].failed = false; });
    sheet.setAttribute("data-editable", "0");
  }

  // --- Evidence: upload to this criterion, or link a file already uploaded. ---
  function size(bytes) {
    if (bytes < 1024) return bytes + " B";
    if (bytes < 1024 * 1024) return (bytes / 1024).toFixed(1) + " KB";
    return (bytes / (1024 * 1024)).toFixed(1) + " MB";
  }
  function listFile(st, e) {
    var list = st.el.querySelector("ul.files");
    if (!list || list.querySelector('[data-evidence="' + e.id + '"]')) return;
    var li = document.createElement("li");
    li.setAttribute("data-evidence", e.id);
    var a = document.createElement("a");
    a.href = "/evidence/" + encodeURIComponent(e.id) + "/download";
    a.textContent = e.file_name;
    var meta = document.createElement("span");
    meta.className = "muted";
    meta.textContent = size(e.size_bytes) + (e.effective_date ? " · " + e.effective_date : "");
    li.appendChild(a);
    li.appendChild(document.createTextNode(" "));
    li.appendChild(meta);
    list.appendChild(li);
    var count = st.el.querySelector('[data-count="files"]');
    if (count) count.textContent = list.children.length;
    var option = st.el.querySelector('.link option[value="' + e.id + '"]');
    if (option) option.remove();
  }
  function offer(e, except) {
    Object.keys(states).forEach(function (k) {
      if (k === except) return;
      var select = states[k].el.querySelector(".link select");
      if (!select || select.querySelector('option[value="' + e.id + '"]')) return;
      if (states[k].el.querySelector('[data-evidence="' + e.id + '"]')) return;
      var o = document.createElement("option");
      o.value = e.id;
      o.textContent = e.file_name;
      select.appendChild(o);
    });
  }
  function evidenceState(st, kind, text) {
    var out = st.el.querySelector(".evidence-state");
    if (!out) return;
    out.className = "evidence-state " + kind;
    out.textContent = text;
  }
  function evidenceFailed(st, res) {
    if (res.status === 409 && res.body && res.body.error === "assessment_frozen") { frozen(); return; }
    var why = res.status === 413 ? TEXT.tooLarge : messageOf(res);
    evidenceState(st, "failed", say("evidenceFailed", { m: why }));
  }
  function upload(st, input) {
    var file = input.files && input.files[0];
    if (!file) return;
    var form = new FormData();
    form.append("file", file, file.name);
    form.append("criteria", st.id);
    evidenceState(st, "saving", TEXT.uploading);
    window.dcmm.api("POST", base + "/evidence", form).then(function (res) {
      if (res.status === 201) {
        input.value = "";
        listFile(st, res.body);
        offer(res.body, st.id);
        evidenceState(st, "saved", say("uploaded", { f: res.body.file_name }));
      } else {
        evidenceFailed(st, res);
      }
    }, function () { evidenceState(st, "failed", say("evidenceFailed", { m: TEXT.offline })); });
  }
  function link(st) {
    var select = st.el.querySelector(".link select");
    var id = select ? select.value : "";
    if (!id) { evidenceState(st, "failed", TEXT.chooseFile); return; }
    var path = "/api/v1/evidence/" + encodeURIComponent(id);
    evidenceState(st, "saving", TEXT.linking);
    // The criteria it supports now, read just before, so a link made meanwhile is kept.
    window.dcmm.api("GET", path).then(function (res) {
      if (!res.ok) { evidenceFailed(st, res); return null; }
      var criteria = res.body.criteria.slice();
      if (criteria.indexOf(st.id) < 0) criteria.push(st.id);
      return window.dcmm.api("PUT", path + "/criteria", { criteria: criteria }).then(function (put) {
        if (!put.ok) { evidenceFailed(st, put); return; }
        listFile(st, put.body);
        evidenceState(st, "saved", say("linked", { f: put.body.file_name }));
      });
    }).catch(function () { evidenceState(st, "failed", say("evidenceFailed", { m: TEXT.offline })); });
  }

  // --- Events, delegated from the sheet. ---
  sheet.addEventListener("change", function (e) {
    var st = stateOf(e.target);
    if (!st) return;
    if (e.target.type === "radio") save(st);
    else if (e.target.type === "file") upload(st, e.target);
  });
  sheet.addEventListener("input", function (e) {
    var st = stateOf(e.target);
    if (!st || e.target.tagName !== "TEXTAREA") return;
    clearTimeout(st.debounce);
    st.debounce = setTimeout(function () { save(st); }, 800);
  });
  sheet.addEventListener("focusout", function (e) {
    var st = stateOf(e.target);
    if (st && e.target.tagName === "TEXTAREA") save(st);
  });
  sheet.addEventListener("click", function (e) {
    var st = stateOf(e.target);
    if (!st) return;
    if (e.target.hasAttribute("data-link")) link(st);
    var keep = e.target.getAttribute("data-keep");
    if (keep) resolve(st, keep);
  });
  // Nothing typed is lost silently: a comment still waiting for its pause is sent when the
  // page is hidden or left, and leaving with unsaved changes asks first.
  function flush() {
    Object.keys(states).forEach(function (k) { if (dirty(states[k])) save(states[k]); });
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") flush();
  });
  window.addEventListener("beforeunload", function (e) {
    flush();
    var unsaved = Object.keys(states).some(function (k) {
      var st = states[k];
      return st.inflight || st.conflict || (sheet.getAttribute("data-editable") === "1" && dirty(st));
    });
    if (unsaved) { e.preventDefault(); e.returnValue = ""; }
  });
})();
