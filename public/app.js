// Progressive enhancement only: the portal works without this file.
// htmx requests carry the page's CSRF token as a header, so an hx-post outside a form is accepted too.
document.addEventListener('htmx:configRequest', function (event) {
  var elt = event.detail.elt;
  var form = elt && elt.closest ? elt.closest('form') : null;
  var input = (form && form.querySelector('input[name="_csrf"]')) || document.querySelector('input[name="_csrf"]');
  if (input) event.detail.headers['X-CSRF-Token'] = input.value;
});
