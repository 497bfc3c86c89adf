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

// Upload size check: a form marked data-upload-limit (bytes; data-upload-kept: bytes already kept)
// refuses chosen files that would pass the limit stated on the form, before anything is sent, so
// nobody waits for 30 MB to cross a slow link only to be refused. The message is tied to the file
// input (aria-describedby) and shown in an error summary at the top, as the server would. The
// server checks again whatever this says.
(function () {
  var chosenBytes = function (form) {
    var total = 0;
    Array.prototype.forEach.call(form.querySelectorAll('input[type="file"]'), function (input) {
      Array.prototype.forEach.call(input.files || [], function (f) {
        total += f.size;
      });
    });
    return total;
  };
  var clear = function (form) {
    Array.prototype.forEach.call(form.querySelectorAll('[data-size-error]'), function (el) {
      var input = document.getElementById(el.getAttribute('data-size-error'));
      if (input) {
        var ids = (input.getAttribute('aria-describedby') || '').split(' ').filter(function (id) {
          return id && id !== el.id;
        });
        input.setAttribute('aria-describedby', ids.join(' '));
        input.removeAttribute('aria-invalid');
      }
      el.parentNode.removeChild(el);
    });
    var summary = document.querySelector('[data-size-summary]');
    if (summary) summary.parentNode.removeChild(summary);
    if (form.hasAttribute('data-size-title')) {
      document.title = form.getAttribute('data-size-title');
      form.removeAttribute('data-size-title');
    }
  };
  // Returns whether the chosen files fit; when not, says so beside `input` and in a summary.
  var check = function (form, input) {
    var limit = Number(form.getAttribute('data-upload-limit'));
    if (!limit) return true;
    var total = Number(form.getAttribute('data-upload-kept') || 0) + chosenBytes(form);
    clear(form);
    if (total <= limit) return true;
    var text = form
      .getAttribute('data-upload-too-large')
      .replace('{total}', (Math.ceil((total / 1048576) * 10) / 10).toFixed(1));
    var error = document.createElement('p');
    error.className = 'field__error';
    error.id = input.id + '-size-error';
    error.setAttribute('data-size-error', input.id);
    error.textContent = text;
    input.parentNode.insertBefore(error, input);
    input.setAttribute('aria-describedby', ((input.getAttribute('aria-describedby') || '') + ' ' + error.id).trim());
    input.setAttribute('aria-invalid', 'true');
    var summary = document.createElement('div');
    summary.className = 'error-summary';
    summary.setAttribute('role', 'alert');
    summary.setAttribute('tabindex', '-1');
    summary.setAttribute('aria-labelledby', 'size-summary-title');
    summary.setAttribute('data-size-summary', '');
    var title = document.createElement('h2');
    title.className = 'error-summary__title';
    title.id = 'size-summary-title';
    title.textContent = form.getAttribute('data-error-summary');
    var list = document.createElement('ul');
    list.className = 'error-summary__list';
    var item = document.createElement('li');
    var link = document.createElement('a');
    link.href = '#' + input.id;
    link.textContent = text;
    item.appendChild(link);
    list.appendChild(item);
    summary.appendChild(title);
    summary.appendChild(list);
    var main = document.querySelector('main');
    if (main) main.insertBefore(summary, main.firstChild);
    var prefix = form.getAttribute('data-error-prefix') || '';
    if (prefix && document.title.indexOf(prefix) !== 0) {
      form.setAttribute('data-size-title', document.title);
      document.title = prefix + document.title;
    }
    summary.focus();
    return false;
  };
  document.addEventListener('change', function (event) {
    var input = event.target;
    if (!input || input.type !== 'file' || !input.form || !input.form.hasAttribute('data-upload-limit')) return;
    check(input.form, input);
  });
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute('data-upload-limit')) return;
    var withFiles = Array.prototype.filter.call(form.querySelectorAll('input[type="file"]'), function (input) {
      return input.files && input.files.length > 0;
    });
    if (withFiles.length && !check(form, withFiles[withFiles.length - 1])) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  });
})();

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

// ---- 服務機 (kiosk mode, issue 13) ----
// On a kiosk (the bar with data-kiosk-idle): after data-kiosk-warn seconds without input a dialog asks
// whether the person is still there (focus moves to its 繼續使用 button; the seconds left are announced
// politely every 15 s), and at data-kiosk-idle seconds 結束使用 is sent for them. Input tells the server
// (at most twice a minute) so the server's own idle end (the same limit, without JavaScript) agrees.
(function () {
  var bar = document.querySelector('[data-kiosk-idle]');
  var dialog = document.getElementById('kiosk-idle');
  var form = document.getElementById('kiosk-end');
  if (!bar || !dialog || !form) return;
  var idle = Number(bar.getAttribute('data-kiosk-idle')) * 1000;
  var warn = Number(bar.getAttribute('data-kiosk-warn')) * 1000;
  var count = document.getElementById('kiosk-idle-count');
  var live = document.getElementById('kiosk-idle-live');
  var template = count.getAttribute('data-template');
  var last = Date.now();
  var pinged = last;
  var shown = false;
  var announced = 0;
  var ending = false;
  var ping = function () {
    pinged = Date.now();
    if (window.fetch) window.fetch('/kiosk/still-here', { credentials: 'same-origin', cache: 'no-store' });
  };
  var activity = function () {
    if (shown || ending) return;
    last = Date.now();
    if (last - pinged > Math.min(30000, idle / 3)) ping();
  };
  ['pointerdown', 'keydown', 'input', 'wheel', 'touchstart'].forEach(function (type) {
    document.addEventListener(type, activity, { capture: true, passive: true });
  });
  var hide = function () {
    shown = false;
    if (dialog.open) dialog.close();
    last = Date.now();
    ping();
  };
  var show = function () {
    shown = true;
    announced = 0;
    if (typeof dialog.showModal === 'function') dialog.showModal();
    else dialog.setAttribute('open', '');
    document.getElementById('kiosk-idle-continue').focus();
  };
  document.getElementById('kiosk-idle-continue').addEventListener('click', hide);
  dialog.addEventListener('cancel', function (event) {
    event.preventDefault();
    hide();
  });
  form.addEventListener('submit', function () {
    ending = true;
  });
  var tick = function () {
    if (ending) return;
    var now = Date.now();
    var gone = now - last;
    if (gone >= idle) {
      ending = true;
      document.getElementById('kiosk-end-reason').value = 'idle';
      form.submit();
      return;
    }
    if (gone >= warn && !shown) show();
    if (!shown) return;
    var text = template.replace('{seconds}', String(Math.ceil((idle - gone) / 1000)));
    count.textContent = text;
    if (now - announced >= 15000) {
      announced = now;
      live.textContent = text;
    }
  };
  window.setInterval(tick, 1000);
  // A page shown again from the back/forward cache starts its time afresh (or was ended: reload).
  window.addEventListener('pageshow', function (event) {
    if (event.persisted) window.location.reload();
  });
})();
