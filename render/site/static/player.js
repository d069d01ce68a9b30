/* Figure player, hand-written, no dependencies. A figure's frames are precomputed SVGs packed in
   media/<id>/frames.js; controls only choose which frame shows. Tips on tap, hover or focus. */
(function () {
  "use strict";
  var reduce = !!(window.matchMedia && matchMedia("(prefers-reduced-motion: reduce)").matches);
  var hasIO = "IntersectionObserver" in window;
  var store = (self.SSGF = self.SSGF || {});

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }
  function json(el, name) {
    try { return JSON.parse(el.getAttribute(name)) || []; } catch (e) { return []; }
  }
  function watch(el, margin, ratio, fn) {
    if (!hasIO) { fn(true); return; }
    new IntersectionObserver(function (entries) {
      each(entries, function (e) { fn(e.isIntersecting && e.intersectionRatio >= ratio); });
    }, { rootMargin: margin, threshold: [0, ratio] }).observe(el);
  }

  function Player(fig) {
    var id = fig.getAttribute("data-fig");
    var keys = (fig.getAttribute("data-keys") || "").split("|");
    var stage = fig.querySelector(".fig-stage");
    var tip = fig.querySelector(".fig-tip");
    var ctls = fig.querySelectorAll(".fig-controls [name]");
    var state = {}, shown = null, loading = false, timer = 0;
    var init = (fig.getAttribute("data-key") || "").split("|");
    keys.forEach(function (k, i) { state[k] = init[i]; });
    fig.classList.add("live");

    function load() {
      if (loading || store[id] || !fig.hasAttribute("data-frames")) return;
      loading = true;
      var s = document.createElement("script");
      s.src = fig.getAttribute("data-frames");
      s.onload = render;
      s.onerror = function () { loading = false; };
      document.head.appendChild(s);
    }

    function render() {
      var frames = store[id];
      if (!frames) { load(); return; }
      var key = keys.map(function (k) { return state[k]; }).join("|");
      if (key === shown || !frames[key] || !stage) return;
      stage.innerHTML = frames[key];
      shown = key;
      hideTip();
    }

    function sync(name) {
      each(ctls, function (c) {
        if (c.getAttribute("name") !== name) return;
        var values = json(c, "data-values"), i = values.indexOf(state[name]);
        if (c.type === "range") {
          c.value = i;
          var label = json(c, "data-labels")[i];
          c.setAttribute("aria-valuetext", label);
          var out = c.parentNode.querySelector(".ctl-value");
          if (out) out.textContent = label;
        } else if (c.classList.contains("ctl-toggle")) {
          c.setAttribute("aria-pressed", String(i === 1));
        } else if (c.tagName === "SELECT") {
          c.value = state[name];
        }
      });
    }

    function set(name, value) { state[name] = value; sync(name); render(); }

    function stop() {
      clearInterval(timer); timer = 0;
      each(fig.querySelectorAll(".ctl-play[name]"), function (b) { b.setAttribute("aria-pressed", "false"); });
    }

    function play(b) {
      if (timer) { stop(); return; }
      var name = b.getAttribute("name"), values = json(b, "data-values");
      var i = values.indexOf(state[name]);
      if (i < 0 || i >= values.length - 1) i = -1;
      if (reduce) { set(name, values[values.length - 1]); return; }
      b.setAttribute("aria-pressed", "true");
      timer = setInterval(function () {
        i += 1;
        set(name, values[i]);
        if (i >= values.length - 1) stop();
      }, +b.getAttribute("data-interval") || 700);
    }

    each(ctls, function (c) {
      var name = c.getAttribute("name"), values = json(c, "data-values");
      if (c.type === "range") {
        c.addEventListener("input", function () { stop(); set(name, values[+c.value]); });
      } else if (c.classList.contains("ctl-toggle")) {
        c.addEventListener("click", function () { set(name, values[state[name] === values[1] ? 0 : 1]); });
      } else if (c.tagName === "SELECT") {
        c.addEventListener("change", function () { set(name, c.value); });
      } else if (c.classList.contains("ctl-play")) {
        c.addEventListener("click", function () { play(c); });
      }
      c.addEventListener("pointerdown", load);
      c.addEventListener("focus", load);
    });

    function showTip(el) {
      if (!tip) return;
      tip.textContent = el.getAttribute("data-tip");
      tip.hidden = false;
      var r = el.getBoundingClientRect(), f = fig.getBoundingClientRect();
      var w = tip.offsetWidth, h = tip.offsetHeight;
      var x = Math.max(0, Math.min(r.left + r.width / 2 - f.left - w / 2, f.width - w));
      var y = r.top - f.top - h - 6;
      if (y < 0) y = r.bottom - f.top + 6;
      tip.style.left = x + "px";
      tip.style.top = y + "px";
    }
    function hideTip() { if (tip) tip.hidden = true; }
    function target(e) { return e.target.closest ? e.target.closest("[data-tip]") : null; }
    function spots() { return stage.querySelectorAll("[data-tip]"); }

    /* A hotspot with data-set="control=value" sets that control; the hotspot in the same place in the new
       frame keeps the keyboard focus and shows its tip. Other hotspots just show their tip. */
    function activate(el) {
      var spec = (el.getAttribute("data-set") || "").split("="), name = spec[0], value = spec[1];
      var next = {}, frames = store[id] || {};
      keys.forEach(function (k) { next[k] = k === name ? value : state[k]; });
      if (!name || !(name in state) || !frames[keys.map(function (k) { return next[k]; }).join("|")]) {
        showTip(el); return;
      }
      var i = Array.prototype.indexOf.call(spots(), el), had = document.activeElement === el;
      stop(); set(name, value);
      el = spots()[i];
      if (!el) return;
      if (had) el.focus();
      showTip(el);
    }

    if (stage) {
      stage.addEventListener("pointerover", function (e) { var t = target(e); if (t) showTip(t); });
      stage.addEventListener("pointerout", function (e) { if (target(e) && e.pointerType === "mouse") hideTip(); });
      stage.addEventListener("click", function (e) { var t = target(e); if (t) activate(t); else hideTip(); });
      stage.addEventListener("focusin", function (e) { var t = target(e); if (t) showTip(t); });
      stage.addEventListener("focusout", hideTip);
      stage.addEventListener("keydown", function (e) {
        if (e.key === "Escape") hideTip();
        var t = target(e);
        if (t && (e.key === "Enter" || e.key === " ")) { e.preventDefault(); activate(t); }
      });
      document.addEventListener("click", function (e) {  /* a tapped hotspot may be gone: its frame swapped */
        if (e.target.isConnected && !fig.contains(e.target)) hideTip();
      });
      watch(fig, "300px 0px", 0, function (near) { if (near) render(); });
    }
    each(fig.querySelectorAll("video"), Video);
  }

  function Video(v) {
    /* "on" follows the media events, not v.paused: a refused play() can leave paused false */
    var b = document.createElement("button"), userPaused = false, on = false;
    b.type = "button";
    b.className = "ctl ctl-play";
    function label() { b.textContent = on ? "Pause video" : "Play video"; }
    function set(state) { return function () { on = state; label(); }; }
    function start() {
      var p = v.play();
      if (p && p.catch) p.catch(set(false));  /* refused (autoplay policy, data saver): the button still works */
    }
    function toggle() { if (on) { userPaused = true; v.pause(); } else { userPaused = false; start(); } }
    b.addEventListener("click", toggle);
    /* the native bar would cover the poster's last lines: hidden until the video first plays (the button
       and a tap on the picture start it); without JS the controls attribute stays */
    v.controls = false;
    v.addEventListener("click", function () { if (!v.controls) toggle(); });
    v.addEventListener("playing", function () { v.controls = true; });
    v.addEventListener("playing", set(true));
    ["pause", "ended", "error"].forEach(function (ev) { v.addEventListener(ev, set(false)); });
    label();
    v.parentNode.appendChild(b);
    if (v.hasAttribute("data-autoplay") && !reduce && hasIO) {
      watch(v, "0px", 0.6, function (seen) {
        if (seen && !userPaused && !on) start();
        else if (!seen && on) v.pause();
      });
    }
  }

  function boot() { each(document.querySelectorAll(".fig[data-fig]"), Player); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
  else boot();
})();
