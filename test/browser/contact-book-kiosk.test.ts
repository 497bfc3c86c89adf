import { contactBookJourneys, KIOSK } from './contact-book-journey.ts';

// The contact book journeys at kiosk size, with JavaScript off and on (the phone ones run beside
// these, in contact-book-phone.test.ts). One inmate per journey: an inmate has one contact book.
contactBookJourneys('browser: the family contact book between the family and the back office, at a kiosk', [
  {
    name: 'contact-book-js-off-kiosk',
    javaScriptEnabled: false,
    viewport: KIOSK,
    callNumber: '3072',
    inmate: '陳志強',
  },
  { name: 'contact-book-js-on-kiosk', javaScriptEnabled: true, viewport: KIOSK, callNumber: '4096', inmate: '李四' },
]).run();
