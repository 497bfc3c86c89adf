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
