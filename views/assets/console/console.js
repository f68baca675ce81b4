// The admin console's small enhancements; every page works without them.
// - [data-csv-file]: reads a chosen file into the form's textarea (so forms post plain text).
// - [data-refresh] on #wave-live: refreshes response rates and analyses while a wave is open.
// - [data-reload]: reloads the page after a delay (an analysis or report in progress).
// - [data-print], [data-navigate-select], [data-confirm].
(function () {
  'use strict';

  document.querySelectorAll('[data-csv-file]').forEach(function (input) {
    input.addEventListener('change', function () {
      var target = document.getElementById(input.getAttribute('data-csv-file'));
      var file = input.files && input.files[0];
      if (!target || !file) return;
      file.text().then(function (text) { target.value = text; });
    });
  });

  function refreshLive() {
    var live = document.getElementById('wave-live');
    if (!live || !live.hasAttribute('data-refresh')) return;
    var delay = Number(live.getAttribute('data-refresh')) || 5000;
    setTimeout(function () {
      fetch(live.getAttribute('data-live'), { credentials: 'same-origin', headers: { Accept: 'text/html' } })
        .then(function (res) { if (!res.ok) throw new Error(String(res.status)); return res.text(); })
        .then(function (html) {
          var holder = document.createElement('div');
          holder.innerHTML = html;
          var next = holder.querySelector('#wave-live');
          if (next) live.replaceWith(next);
          refreshLive();
        })
        .catch(function () { refreshLive(); });
    }, delay);
  }
  refreshLive();

  var reload = document.querySelector('[data-reload]');
  if (reload) setTimeout(function () { location.reload(); }, Number(reload.getAttribute('data-reload')) || 4000);

  document.querySelectorAll('[data-print]').forEach(function (b) { b.addEventListener('click', function () { window.print(); }); });
  document.querySelectorAll('[data-navigate-select]').forEach(function (s) {
    s.addEventListener('change', function () { location.href = s.value; });
  });
  document.querySelectorAll('form[data-confirm]').forEach(function (f) {
    f.addEventListener('submit', function (e) { if (!window.confirm(f.getAttribute('data-confirm'))) e.preventDefault(); });
  });
})();
