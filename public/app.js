// Progressive enhancement only: the portal works without this file.
// htmx requests carry the page's CSRF token as a header, so an hx-post outside a form is accepted too.
document.addEventListener('htmx:configRequest', function (event) {
  var elt = event.detail.elt;
  var form = elt && elt.closest ? elt.closest('form') : null;
  var input = (form && form.querySelector('input[name="_csrf"]')) || document.querySelector('input[name="_csrf"]');
  if (input) event.detail.headers['X-CSRF-Token'] = input.value;
});

// A link marked data-opens-dialog loads its content with htmx, then opens the dialog as a modal
// (focus moves into it, Escape closes it). Without JavaScript the same link opens a plain page.
document.addEventListener('htmx:afterSwap', function (event) {
  var trigger = event.detail.requestConfig && event.detail.requestConfig.elt;
  var id = trigger && trigger.getAttribute && trigger.getAttribute('data-opens-dialog');
  var dialog = id && document.getElementById(id);
  if (!dialog) return;
  // An old browser without <dialog>: go to the plain page instead.
  if (typeof dialog.showModal !== 'function') {
    window.location.href = trigger.href;
    return;
  }
  if (!dialog.open) dialog.showModal();
  var heading = dialog.querySelector('h2');
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus();
  }
});

// Upload progress: a form marked data-upload-progress that carries files is sent with
// XMLHttpRequest so its progress can be shown. The answer replaces the page's main content as a
// normal submission would; after a redirect the browser goes to the new page. Without JavaScript,
// or without files chosen, the form is submitted as usual.
document.addEventListener('submit', function (event) {
  var form = event.target;
  if (!form.hasAttribute || !form.hasAttribute('data-upload-progress') || !window.FormData || !window.DOMParser) return;
  var hasFile = Array.prototype.some.call(form.querySelectorAll('input[type="file"]'), function (input) {
    return input.files && input.files.length > 0;
  });
  var status = form.querySelector('.upload-status');
  // Without event.submitter (older Safari) the button pressed is unknown: "remove" would become
  // "send", so such browsers submit the form the plain way.
  if (!hasFile || !status || !('submitter' in event)) return;
  event.preventDefault();
  var submitter = event.submitter;
  var data = new FormData(form);
  if (submitter && submitter.name) data.append(submitter.name, submitter.value);
  var bar = status.querySelector('progress');
  var text = status.querySelector('.upload-status__text');
  var buttons = form.querySelectorAll('button[type="submit"]');
  var say = function (template, percent) {
    text.textContent = template.replace('{percent}', String(percent));
  };
  var lastSaid = -1;
  Array.prototype.forEach.call(buttons, function (b) {
    b.disabled = true;
  });
  status.hidden = false;
  bar.value = 0;
  say(status.getAttribute('data-uploading'), 0);

  // getAttribute: the form's buttons are named "action", which hides form.action.
  var action = new URL(form.getAttribute('action') || window.location.href, window.location.href).href;
  var xhr = new XMLHttpRequest();
  xhr.open('POST', action);
  xhr.upload.addEventListener('progress', function (e) {
    if (!e.lengthComputable) return;
    var percent = Math.floor((e.loaded / e.total) * 100);
    bar.value = percent;
    // Screen readers hear every 25%, not every packet.
    if (percent - lastSaid >= 25 || percent === 100) {
      lastSaid = percent;
      say(status.getAttribute(percent === 100 ? 'data-checking' : 'data-uploading'), percent);
    }
  });
  var fail = function () {
    Array.prototype.forEach.call(buttons, function (b) {
      b.disabled = false;
    });
    say(status.getAttribute('data-failed'), 0);
  };
  xhr.addEventListener('error', fail);
  xhr.addEventListener('abort', fail);
  xhr.addEventListener('load', function () {
    var finalUrl = xhr.responseURL || action;
    var sameUrl = finalUrl.split('#')[0] === action;
    if (!sameUrl) {
      window.location.assign(finalUrl);
      return;
    }
    var page = new DOMParser().parseFromString(xhr.responseText, 'text/html');
    var main = page.querySelector('main');
    if (!main) return fail();
    document.title = page.title;
    var current = document.querySelector('main');
    current.innerHTML = main.innerHTML;
    if (window.htmx) window.htmx.process(current);
    var summary = current.querySelector('.error-summary');
    (summary || current).focus();
    window.scrollTo(0, 0);
  });
  xhr.send(data);
});

// A running character count under a text area marked data-max-characters, counted as a person
// counts (one Chinese character or one emoji is one), as the server counts. Screen readers hear it
// only near and past the limit, not on every key.
(function () {
  var segmenter = window.Intl && Intl.Segmenter ? new Intl.Segmenter('zh-Hant', { granularity: 'grapheme' }) : null;
  var count = function (text) {
    var s = text.replace(/\r\n?/g, '\n').trim();
    if (s.normalize) s = s.normalize('NFC');
    if (!segmenter) return Array.from(s).length;
    var n = 0;
    var it = segmenter.segment(s)[Symbol.iterator]();
    while (!it.next().done) n += 1;
    return n;
  };
  // The message as the catalog holds it: {n}, or a plural choice {n, plural, one {# …} other {# …}}
  // chosen by the page language's plural rules, as domain/i18n/i18n.ts chooses on the server.
  var rules = window.Intl && Intl.PluralRules ? new Intl.PluralRules(document.documentElement.lang || 'zh-TW') : null;
  var fill = function (template, n) {
    var text = template.replace(/\{n, plural,((?:\s*(?:=\d+|\w+)\s*\{[^{}]*\})+)\s*\}/, function (all, forms) {
      var options = {};
      forms.replace(/(=\d+|\w+)\s*\{([^{}]*)\}/g, function (m, name, words) {
        options[name] = words;
        return m;
      });
      var chosen = options['=' + n] || (rules && options[rules.select(n)]) || options.other || '';
      return chosen.replace(/#/g, String(n));
    });
    return text.replace('{n}', String(n));
  };
  var update = function (area) {
    var out = document.getElementById(area.id + '-count');
    if (!out) return;
    var max = Number(area.getAttribute('data-max-characters'));
    var n = count(area.value);
    var over = n > max;
    var text = fill(over ? out.getAttribute('data-over') : out.getAttribute('data-left'), Math.abs(max - n));
    if (out.textContent !== text) out.textContent = text;
    out.classList.toggle('field__count--over', over);
    var near = max - n <= 10;
    if (near && !out.hasAttribute('aria-live')) out.setAttribute('aria-live', 'polite');
    if (!near && out.hasAttribute('aria-live')) out.removeAttribute('aria-live');
  };
  document.addEventListener('input', function (event) {
    var area = event.target;
    if (area && area.hasAttribute && area.hasAttribute('data-max-characters')) update(area);
  });
  var init = function () {
    Array.prototype.forEach.call(document.querySelectorAll('[data-max-characters]'), update);
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
  document.addEventListener('htmx:afterSwap', init);
})();
