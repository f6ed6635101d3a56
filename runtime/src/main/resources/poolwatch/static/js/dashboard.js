// poolwatch dashboard: live refresh of the page's fragments with htmx, and small aids around it.
// Kept in a file (no inline script or handler) so the pages work under a Content-Security-Policy without 'unsafe-inline'.
(function () {
  'use strict';

  var status = document.getElementById('live-status');
  var announcer = document.getElementById('live-announcer');
  var lastText = {};
  var openDetails = [];
  var stale = false;

  if (window.htmx) {
    // No inline <style> from htmx, no eval, no <script> from swapped content: all three would need a weaker CSP.
    htmx.config.includeIndicatorStyles = false;
    htmx.config.allowEval = false;
    htmx.config.allowScriptTags = false;
    htmx.config.historyCacheSize = 0;
    if (status) {
      var mode = status.querySelector('.live-mode');
      if (mode) {
        mode.textContent = ' · live, every ' + status.getAttribute('data-interval') + 's';
      }
    }
  }

  function setStale(value, message) {
    if (!status || stale === value) {
      return;
    }
    stale = value;
    status.classList.toggle('stale', value);
    if (announcer) {
      announcer.textContent = message;
    }
  }

  function timeText(date) {
    return date.toISOString().substring(11, 19);
  }

  document.addEventListener('htmx:beforeRequest', function (evt) {
    // A hidden tab does not poll; it catches up on the next tick after it is shown again.
    if (document.hidden) {
      evt.preventDefault();
    }
  });

  document.addEventListener('htmx:beforeSwap', function (evt) {
    var target = evt.detail.target;
    if (!evt.detail.xhr || evt.detail.xhr.status !== 200) {
      // Keep what is shown; say that it is getting old.
      evt.detail.shouldSwap = false;
      setStale(true, 'poolwatch does not answer; the figures shown may be out of date.');
      return;
    }
    var text = evt.detail.serverResponse;
    // Nothing changed: leave the DOM alone, so focus, selection and open sections stay as they are.
    if (target.id && lastText[target.id] === text) {
      evt.detail.shouldSwap = false;
    } else if (target.id) {
      lastText[target.id] = text;
    }
    openDetails = [];
    target.querySelectorAll('details[open][id]').forEach(function (d) {
      openDetails.push(d.id);
    });
  });

  document.addEventListener('htmx:afterSettle', function () {
    openDetails.forEach(function (id) {
      var d = document.getElementById(id);
      if (d) {
        d.open = true;
      }
    });
    openDetails = [];
  });

  document.addEventListener('htmx:afterRequest', function (evt) {
    if (evt.detail.successful) {
      setStale(false, 'poolwatch answers again.');
      var time = document.getElementById('live-time');
      if (time) {
        var now = new Date();
        time.textContent = timeText(now);
        time.setAttribute('datetime', now.toISOString());
      }
    }
  });

  document.addEventListener('htmx:sendError', function () {
    setStale(true, 'poolwatch does not answer; the figures shown may be out of date.');
  });

  // Forms that change state ask first (data-confirm), without an inline handler.
  document.addEventListener('submit', function (evt) {
    var form = evt.target;
    var question = form.getAttribute && form.getAttribute('data-confirm');
    if (question && !window.confirm(question)) {
      evt.preventDefault();
    }
  });
})();
