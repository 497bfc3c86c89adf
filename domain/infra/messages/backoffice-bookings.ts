/** Visit booking, the staff's side (issue 5): review, phone bookings, rosters, cancelling. */
export const backofficeBookingsZh = {
  'nav.backoffice.bookings': '預約接見審核',
} as const;

export const backofficeBookingsEn: { [K in keyof typeof backofficeBookingsZh]: string } = {
  'nav.backoffice.bookings': 'Visit bookings',
};
