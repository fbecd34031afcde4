// packets.js: while packets build, update the progress line every 3 s and
// reload the page when the job ends, so the new packets appear. Without
// JavaScript the page's <noscript> refresh does the same, more coarsely.
(function () {
  var st = document.getElementById('job-status');
  if (!st || st.getAttribute('data-running') !== 'true') return;
  function poll() {
    fetch(location.href, {credentials: 'same-origin'}).then(function (r) { return r.text(); }).then(function (html) {
      var next = new DOMParser().parseFromString(html, 'text/html').getElementById('job-status');
      if (!next || next.getAttribute('data-running') !== 'true') { location.reload(); return; }
      st.innerHTML = next.innerHTML;
      setTimeout(poll, 3000);
    }).catch(function () { setTimeout(poll, 10000); });
  }
  setTimeout(poll, 3000);
})();
