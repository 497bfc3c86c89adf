import { htmlLang, translator, type MessageKey } from '../i18n/i18n.ts';
import { formatDate, formatDateTime } from '../shared/dates.ts';
import { escapeHtml as e } from '../shared/html.ts';
import type { Locale } from '../shared/locale.ts';

/** What 下載我的資料 holds: the same in data.json and in index.html. */
export type MyDocument = {
  id: number;
  kind: string;
  fileName: string;
  mediaType: string;
  bytes: number;
  uploadedAt: Date;
  replaced: boolean;
  file: string;
};
export type MyData = {
  exportedAt: Date;
  profile: {
    name: string;
    nationalId: string;
    email: string;
    birthday: string;
    mobile: string | null;
    phone: string | null;
    locale: Locale;
    registeredAt: Date;
    emailVerifiedAt: Date | null;
    optionalMailStoppedAt: Date | null;
  };
  consents: { what: 'privacy_notice'; at: Date }[];
  applications: {
    number: string;
    service: string;
    institution: string;
    inmate: string;
    callNumber: string;
    relationship: string;
    status: string;
    submittedAt: Date;
    decidedAt: Date | null;
    reason: string | null;
    documents: MyDocument[];
  }[];
  bookings: {
    number: string;
    role: 'booker' | 'visitor';
    institution: string;
    inmate: string;
    visitKind: string;
    visitDate: string;
    time: string | null;
    status: string;
    /** why staff rejected or cancelled it, or why the portal cancelled it (in the family's language) */
    reason: string | null;
    bookedAt: Date;
  }[];
  posts: {
    id: number;
    inmate: string;
    title: string;
    body: string;
    status: string;
    /** why staff rejected it, or why the portal cancelled it (in the family's language) */
    reason: string | null;
    submittedAt: Date;
    photo: string | null;
  }[];
  correctionRequests: { submittedAt: Date; reason: string; status: string; decidedAt: Date | null }[];
  /** 即時評價 they gave (issue 13): answer 5 (非常滿意) to 1 */
  ratings: { service: string; answer: number; comment: string | null; answeredAt: Date }[];
  mails: {
    channel: string;
    to: string;
    subject: string;
    text: string;
    status: string;
    createdAt: Date;
    sentAt: Date | null;
  }[];
  downloads: { at: Date }[];
};

/** index.html of 下載我的資料: one self-contained page, readable offline, linking the files beside it. */
export function renderIndexHtml(d: MyData): string {
  const t = translator(d.profile.locale);
  const k = (key: string) => t(key as MessageKey);
  const when = (v: Date | null) => (v ? formatDateTime(v) : '—');
  const table = (caption: string, heads: string[], rows: string[][]) =>
    rows.length
      ? `<table><caption>${e(caption)}</caption><thead><tr>${heads.map((h) => `<th scope="col">${e(h)}</th>`).join('')}</tr></thead><tbody>${rows
          .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`)
          .join('')}</tbody></table>`
      : `<p>${e(t('myData.zip.none'))}</p>`;
  const p = d.profile;
  const profile: [string, string][] = [
    [t('field.name'), p.name],
    [t('field.nationalId'), p.nationalId],
    [t('field.email'), p.email],
    [t('field.birthday'), formatDate(p.birthday)],
    [t('field.mobile'), p.mobile ?? '—'],
    [t('field.phone'), p.phone ?? '—'],
    [t('myData.zip.registeredAt'), when(p.registeredAt)],
    [t('myData.zip.verifiedAt'), when(p.emailVerifiedAt)],
    [t('myData.zip.mailStopped'), when(p.optionalMailStoppedAt)],
  ];
  const sections = [
    `<h2>${e(t('myData.zip.profile'))}</h2><dl>${profile.map(([a, b]) => `<dt>${e(a)}</dt><dd>${e(b)}</dd>`).join('')}</dl>`,
    `<h2>${e(t('myData.zip.consents'))}</h2>` +
      table(
        t('myData.zip.consents'),
        [t('myData.zip.consent'), t('myData.zip.at')],
        d.consents.map((c) => [e(t('myData.zip.consent.privacy')), e(when(c.at))]),
      ),
    `<h2>${e(t('myData.zip.applications'))}</h2>` +
      table(
        t('myData.zip.applications'),
        [
          t('myData.zip.number'),
          t('myData.zip.service'),
          t('myData.zip.inmate'),
          t('myData.zip.status'),
          t('myData.zip.submittedAt'),
          t('myData.zip.documents'),
        ],
        d.applications.map((a) => [
          e(a.number),
          e(`${k(`service.${a.service}`)} · ${k(`relationship.${a.relationship}`)}`),
          e(`${a.institution} ${a.inmate} (${a.callNumber})`),
          e(k(`status.${a.status}`)) + (a.reason ? `<br>${e(a.reason)}` : ''),
          e(when(a.submittedAt)),
          a.documents.length
            ? `<ul>${a.documents.map((x) => `<li><a href="${e(encodeURI(x.file))}">${e(x.fileName)}</a>${x.replaced ? ` (${e(t('myData.zip.replaced'))})` : ''}</li>`).join('')}</ul>`
            : '—',
        ]),
      ),
    `<h2>${e(t('myData.zip.bookings'))}</h2>` +
      table(
        t('myData.zip.bookings'),
        [
          t('myData.zip.number'),
          t('myData.zip.inmate'),
          t('myData.zip.visit'),
          t('myData.zip.status'),
          t('myData.zip.bookedAt'),
        ],
        d.bookings.map((b) => [
          e(b.number) + (b.role === 'visitor' ? ` (${e(t('myData.zip.asVisitor'))})` : ''),
          e(`${b.institution} ${b.inmate}`),
          e(`${k(`visitKind.${b.visitKind}`)} ${formatDate(b.visitDate)} ${b.time ?? ''}`),
          e(k(`status.${b.status}`)) + (b.reason ? `<br>${e(b.reason)}` : ''),
          e(when(b.bookedAt)),
        ]),
      ),
    `<h2>${e(t('myData.zip.posts'))}</h2>` +
      table(
        t('myData.zip.posts'),
        [
          t('myData.zip.submittedAt'),
          t('myData.zip.inmate'),
          t('myData.zip.post'),
          t('myData.zip.status'),
          t('myData.zip.photo'),
        ],
        d.posts.map((x) => [
          e(when(x.submittedAt)),
          e(x.inmate),
          `<strong>${e(x.title)}</strong><br>${e(x.body)}`,
          e(k(`status.${x.status}`)) + (x.reason ? `<br>${e(x.reason)}` : ''),
          x.photo ? `<a href="${e(x.photo)}">${e(t('myData.zip.photo'))}</a>` : '—',
        ]),
      ),
    `<h2>${e(t('myData.zip.corrections'))}</h2>` +
      table(
        t('myData.zip.corrections'),
        [t('myData.zip.submittedAt'), t('myData.zip.reason'), t('myData.zip.status')],
        d.correctionRequests.map((c) => [e(when(c.submittedAt)), e(c.reason), e(k(`correction.status.${c.status}`))]),
      ),
    `<h2>${e(t('myData.zip.ratings'))}</h2>` +
      table(
        t('myData.zip.ratings'),
        [t('myData.zip.at'), t('myData.zip.service'), t('myData.zip.answer'), t('myData.zip.comment')],
        d.ratings.map((r) => [
          e(when(r.answeredAt)),
          e(r.service === 'kiosk' ? k('ratings.service.kiosk') : k(`service.${r.service}`)),
          e(k(`ratings.choice.${r.answer}`)),
          e(r.comment ?? '—'),
        ]),
      ),
    `<h2>${e(t('myData.zip.mails'))}</h2>` +
      table(
        t('myData.zip.mails'),
        [t('myData.zip.at'), t('myData.zip.to'), t('myData.zip.subject'), t('myData.zip.text')],
        d.mails.map((m) => [e(when(m.sentAt ?? m.createdAt)), e(m.to), e(m.subject), `<pre>${e(m.text)}</pre>`]),
      ),
    `<h2>${e(t('myData.zip.downloads'))}</h2>` +
      table(
        t('myData.zip.downloads'),
        [t('myData.zip.at')],
        d.downloads.map((x) => [e(when(x.at))]),
      ),
  ];
  return `<!doctype html>
<html lang="${htmlLang(d.profile.locale)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(t('myData.zip.title'))}</title>
<style>body{font:18px/1.7 system-ui,"PingFang TC","Noto Sans TC","Microsoft JhengHei",sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #555;padding:.3rem;text-align:left;vertical-align:top}pre{white-space:pre-wrap;font:inherit;margin:0}
dt{font-weight:bold}</style></head>
<body><main><h1>${e(t('myData.zip.title'))}</h1><p>${e(t('myData.zip.lead', { date: formatDateTime(d.exportedAt) }))}</p>
${sections.join('\n')}
</main></body></html>
`;
}
