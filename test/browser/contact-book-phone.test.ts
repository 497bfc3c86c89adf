import { contactBookJourneys, PHONE } from './contact-book-journey.ts';

// The contact book journeys at phone size, with JavaScript off and on (the kiosk ones run beside
// these, in contact-book-kiosk.test.ts). One inmate per journey: an inmate has one contact book.
contactBookJourneys('browser: the family contact book between the family and the back office, on a phone', [
  {
    name: 'contact-book-js-off-phone',
    javaScriptEnabled: false,
    viewport: PHONE,
    callNumber: '1024',
    inmate: '王小明',
  },
  { name: 'contact-book-js-on-phone', javaScriptEnabled: true, viewport: PHONE, callNumber: '2048', inmate: '林美華' },
]).run();
