import type pg from 'pg';
import { withTransaction } from './platform/db.ts';
import { hashPassword } from './platform/passwords.ts';
import { taipeiToday } from './shared/dates.ts';

/**
 * Demo data for trying the portal (never loaded in production): the institutions named in the seeds,
 * with seed 002's default parameters, a few inmates each, announcements, one staff account per
 * institution and one verified family account.
 */
export const DEMO_INSTITUTIONS: ReadonlyArray<{
  code: string;
  zh: string;
  en: string;
  addressZh: string;
  addressEn: string;
  phone: string;
}> = [
  {
    code: '2477',
    zh: '桃園女子監獄',
    en: 'Taoyuan Women’s Prison',
    addressZh: '桃園市龜山區宏德新村2號',
    addressEn: '2 Hongde New Village, Guishan, Taoyuan',
    phone: '03-3206111',
  },
  {
    code: '2411',
    zh: '基隆監獄',
    en: 'Keelung Prison',
    addressZh: '基隆市暖暖區八德路1號',
    addressEn: '1 Bade Road, Nuannuan, Keelung',
    phone: '02-24579211',
  },
  {
    code: '2433',
    zh: '新店戒治所',
    en: 'Xindian Drug Abuser Treatment Center',
    addressZh: '新北市新店區莒光路42號',
    addressEn: '42 Juguang Road, Xindian, New Taipei',
    phone: '02-22150015',
  },
  {
    code: '2486',
    zh: '臺中女子監獄',
    en: 'Taichung Women’s Prison',
    addressZh: '臺中市南屯區培德路9號',
    addressEn: '9 Peide Road, Nantun, Taichung',
    phone: '04-23803117',
  },
  {
    code: '2515',
    zh: '彰化看守所',
    en: 'Changhua Detention Center',
    addressZh: '彰化縣彰化市延平里延平路46號',
    addressEn: '46 Yanping Road, Changhua City, Changhua',
    phone: '04-7222311',
  },
  {
    code: '2524',
    zh: '雲林第二監獄',
    en: 'Yunlin Second Prison',
    addressZh: '雲林縣斗六市嘉東里次一號',
    addressEn: 'Jiadong Village, Douliu, Yunlin',
    phone: '05-5513401',
  },
  {
    code: '2531',
    zh: '嘉義監獄',
    en: 'Chiayi Prison',
    addressZh: '嘉義縣鹿草鄉維新新村1號',
    addressEn: '1 Weixin New Village, Lucao, Chiayi County',
    phone: '05-3620510',
  },
  {
    code: '2545',
    zh: '臺南看守所',
    en: 'Tainan Detention Center',
    addressZh: '臺南市歸仁區看西里明德新村1號',
    addressEn: '1 Mingde New Village, Guiren, Tainan',
    phone: '06-2304111',
  },
  {
    code: '2561',
    zh: '高雄監獄',
    en: 'Kaohsiung Prison',
    addressZh: '高雄市大寮區仁德路2號',
    addressEn: '2 Rende Road, Daliao, Kaohsiung',
    phone: '07-7882540',
  },
  {
    code: '2584',
    zh: '花蓮看守所',
    en: 'Hualien Detention Center',
    addressZh: '花蓮縣吉安鄉吉安路六段700號',
    addressEn: '700 Ji’an Road Sec. 6, Ji’an, Hualien',
    phone: '03-8521141',
  },
];

// Fictional people: [call number, name, restriction]
const DEMO_INMATES: ReadonlyArray<[string, string, string | null]> = [
  ['1024', '王小明', null],
  ['2048', '林美華', null],
  ['310567', '陳志強', null],
  ['420981', '張雅婷', 'visit_ban'],
];

// [days ago, institution (null: the agency), pinned, title zh, title en, body zh, body en]
const DEMO_ANNOUNCEMENTS: ReadonlyArray<[number, string | null, boolean, string, string, string, string]> = [
  [
    1,
    null,
    true,
    '行動接見的視訊連結隨核准通知寄給您',
    'Mobile visits: the video link comes with the approval',
    '行動接見經機關核准後，核准通知的電子郵件與手機簡訊會附上視訊連結，不需要另外下載APP。請於約定的接見時間，用手機的瀏覽器開啟連結開始視訊，並保持網路穩定。連結只供該次接見使用，請勿轉傳。',
    'When the institution approves your mobile visit, the approval e-mail and text message carry the video link: there is no app to install. At the time of the visit, open the link in your phone’s browser to start the video call, on a stable connection. The link is for that visit only: please do not pass it on.',
  ],
  [
    3,
    '2477',
    false,
    '桃園女子監獄：週六接見請提早報到',
    'Taoyuan Women’s Prison: please arrive early for Saturday visits',
    '週六接見人數較多，請於接見時間前30分鐘到達接見室報到，並攜帶身分證件。\n\n交通方式請見本署網站：https://www.mjac.moj.gov.tw/',
    'Saturdays are busy: please arrive at the visiting room 30 minutes before your visit, with your ID.\n\nHow to get there: see the agency’s website, https://www.mjac.moj.gov.tw/',
  ],
  [
    9,
    null,
    false,
    '家庭聯絡簿每10天可發佈1則，內容以150字為限',
    'The family contact book: one post every 10 days, up to 150 characters',
    '依各機關規定，同一收容人之家庭聯絡簿每10天可發佈1則，內文以150字為限，並得附照片1張。',
    'Each institution allows one post per inmate every 10 days, of up to 150 characters, with one photo.',
  ],
  [
    30,
    null,
    false,
    '本網站系統維護公告',
    'Planned maintenance of this website',
    '本網站將於週日凌晨00:00至03:00進行系統維護，期間暫停服務，造成不便，敬請見諒。',
    'The website will be unavailable on Sunday from 00:00 to 03:00 for maintenance. We apologise for the inconvenience.',
  ],
];

export type DemoLogin = { who: string; account: string; password: string };

export const DEMO_APPLICANT = {
  email: 'family@example.com',
  password: 'demo-family-2026',
  name: '李大同',
  nationalId: 'A123456789',
};
export const demoStaffAccount = (code: string) => ({
  account: `staff${code}`,
  password: `demo-staff-${code}`,
  email: `staff${code}@example.com`,
});
/** Another family member and a lawyer, with approved services, so companions and lawyer bookings can be tried. */
export const DEMO_RELATIVE = {
  email: 'family2@example.com',
  password: 'demo-family2-2026',
  name: '李小華',
  nationalId: 'F218190931',
};
export const DEMO_LAWYER = {
  email: 'lawyer@example.com',
  password: 'demo-lawyer-2026',
  name: '王律師',
  nationalId: 'E196030826',
};
/** An agency administrator (矯正署), who sees every institution. */
export const DEMO_AGENCY_ADMIN = {
  account: 'agency',
  password: 'demo-agency-2026',
  name: '矯正署管理者',
  email: 'agency@example.com',
};

/** Loads the demo data once (when there is no institution yet); returns the logins to print. */
export async function loadDemoData(pool: pg.Pool, now: Date): Promise<{ loaded: boolean; logins: DemoLogin[] }> {
  const logins: DemoLogin[] = [
    { who: 'family (applicant)', account: DEMO_APPLICANT.email, password: DEMO_APPLICANT.password },
    { who: 'family, second visitor', account: DEMO_RELATIVE.email, password: DEMO_RELATIVE.password },
    { who: 'lawyer', account: DEMO_LAWYER.email, password: DEMO_LAWYER.password },
    ...DEMO_INSTITUTIONS.map((i) => {
      const { account, password } = demoStaffAccount(i.code);
      return { who: `staff, ${i.zh} ${i.code}`, account, password };
    }),
    {
      who: 'staff, agency administrator (every institution)',
      account: DEMO_AGENCY_ADMIN.account,
      password: DEMO_AGENCY_ADMIN.password,
    },
  ];
  // One hash at a time: each argon2id hash holds 64 MiB while it runs, so hashing the ten staff passwords
  // at once (four at a time on libuv's threads) made resident memory peak at start (issue 14: 425 MB).
  const agencyHash = await hashPassword(DEMO_AGENCY_ADMIN.password);
  const staffHashes: string[] = [];
  for (const i of DEMO_INSTITUTIONS) staffHashes.push(await hashPassword(demoStaffAccount(i.code).password));
  const applicantHash = await hashPassword(DEMO_APPLICANT.password);
  const loaded = await withTransaction(pool, async (tx) => {
    await tx.query('LOCK TABLE institution IN EXCLUSIVE MODE');
    const { rows } = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM institution');
    if (rows[0]!.n > 0) return false;
    const today = taipeiToday(now);
    for (const [index, i] of DEMO_INSTITUTIONS.entries()) {
      await tx.query(
        `INSERT INTO institution (code, name_zh, name_en, address_zh, address_en, phone) VALUES ($1, $2, $3, $4, $5, $6)`,
        [i.code, i.zh, i.en, i.addressZh, i.addressEn, i.phone],
      );
      for (const [callNumber, name, restriction] of DEMO_INMATES) {
        await tx.query(
          'INSERT INTO inmate (institution_code, call_number, name, restriction) VALUES ($1, $2, $3, $4)',
          [i.code, callNumber, name, restriction],
        );
      }
      await tx.query(
        `INSERT INTO staff (account, name, email, institution_code, role, password_hash) VALUES ($1, $2, $3, $4, 'institution_admin', $5)`,
        [demoStaffAccount(i.code).account, `${i.zh}承辦人`, demoStaffAccount(i.code).email, i.code, staffHashes[index]],
      );
    }
    await tx.query(
      `INSERT INTO staff (account, name, email, institution_code, role, password_hash) VALUES ($1, $2, $3, NULL, 'agency_admin', $4)`,
      [DEMO_AGENCY_ADMIN.account, DEMO_AGENCY_ADMIN.name, DEMO_AGENCY_ADMIN.email, agencyHash],
    );
    for (const [daysAgo, institutionCode, pinned, titleZh, titleEn, bodyZh, bodyEn] of DEMO_ANNOUNCEMENTS) {
      await tx.query(
        `INSERT INTO announcement (institution_code, pinned, status, title_zh, title_en, body_zh, body_en, publish_from)
         VALUES ($1, $2, 'published', $3, $4, $5, $6, $7::date - $8::int)`,
        [institutionCode, pinned, titleZh, titleEn, bodyZh, bodyEn, today, daysAgo],
      );
    }
    await tx.query(
      `INSERT INTO applicant (name, national_id, email, birthday, mobile, password_hash, privacy_consent_at, email_verified_at)
       VALUES ($1, $2, $3, '1975-03-14', '0912345678', $4, $5, $5)`,
      [DEMO_APPLICANT.name, DEMO_APPLICANT.nationalId, DEMO_APPLICANT.email, applicantHash, now],
    );
    return true;
  });
  await loadDemoTimetable(pool);
  await loadDemoServices(pool, now);
  await giveDemoStaffEmails(pool);
  return { loaded, logins };
}

/** Demo staff loaded before staff had addresses (issue 12) get theirs, so password-set links reach the dev mailbox. */
async function giveDemoStaffEmails(pool: pg.Pool): Promise<void> {
  const all = [...DEMO_INSTITUTIONS.map((i) => demoStaffAccount(i.code)), DEMO_AGENCY_ADMIN];
  for (const s of all)
    await pool.query(
      'UPDATE staff SET email = $2 WHERE account = $1 AND email IS NULL AND NOT EXISTS (SELECT 1 FROM staff WHERE lower(email) = lower($2))',
      [s.account, s.email],
    );
}

/** Seed 003's eight batches, Monday to Friday. */
export const DEMO_BATCH_TIMES = ['09:00', '09:30', '10:00', '10:30', '11:00', '14:00', '14:30', '15:00'] as const;
/** Per kind: length in minutes (mobile visits last parameter A) and visits per batch. */
const DEMO_BATCH_KINDS: ReadonlyArray<
  [kind: 'onsite' | 'remote' | 'mobile', minutes: number | null, capacity: number]
> = [
  ['onsite', 30, 6],
  ['remote', 30, 3],
  ['mobile', null, 3],
];

/**
 * Gives every demo institution that has no timetable yet the demo batches; separate from the rest so
 * a database loaded before timetables existed gets them too.
 */
export async function loadDemoTimetable(pool: pg.Pool): Promise<void> {
  await withTransaction(pool, async (tx) => {
    await tx.query('LOCK TABLE visit_batch IN EXCLUSIVE MODE');
    for (const i of DEMO_INSTITUTIONS) {
      await tx.query(
        `INSERT INTO visit_batch (institution_code, visit_kind, weekday, starts_at, length_minutes, capacity)
         SELECT $1, k.kind, w.day, t.at::time, k.minutes, k.capacity
           FROM unnest($2::text[], $3::int[], $4::int[]) AS k(kind, minutes, capacity),
                generate_series(1, 5) AS w(day), unnest($5::text[]) AS t(at)
          WHERE EXISTS (SELECT 1 FROM institution WHERE code = $1)
            AND NOT EXISTS (SELECT 1 FROM visit_batch WHERE institution_code = $1)`,
        [
          i.code,
          DEMO_BATCH_KINDS.map((k) => k[0]),
          DEMO_BATCH_KINDS.map((k) => k[1]),
          DEMO_BATCH_KINDS.map((k) => k[2]),
          DEMO_BATCH_TIMES,
        ],
      );
    }
  });
}

/**
 * Approved services for trying the contact book and visit booking at once: the demo family holds the
 * contact book and every visit kind for 王小明 at 桃園女子監獄 (2477), a relative the on-site and mobile
 * visits, a lawyer the lawyer service. Added once, also to a database loaded before they existed.
 */
export async function loadDemoServices(pool: pg.Pool, now: Date): Promise<void> {
  const people = [
    {
      ...DEMO_RELATIVE,
      birthday: '1978-06-02',
      mobile: '0922333444',
      hash: await hashPassword(DEMO_RELATIVE.password),
    },
    { ...DEMO_LAWYER, birthday: '1970-09-09', mobile: '0933444555', hash: await hashPassword(DEMO_LAWYER.password) },
  ];
  await withTransaction(pool, async (tx) => {
    await tx.query('LOCK TABLE service_application IN EXCLUSIVE MODE');
    const inmate = (
      await tx.query<{ id: string }>(`SELECT id FROM inmate WHERE institution_code = '2477' AND call_number = '1024'`)
    ).rows[0];
    const family = (await tx.query<{ id: string }>('SELECT id FROM applicant WHERE email = $1', [DEMO_APPLICANT.email]))
      .rows[0];
    if (!inmate || !family) return;
    if ((await tx.query(`SELECT 1 FROM service_application WHERE number LIKE '20260101-DEMO%'`)).rowCount) return;
    const ids: Record<string, string> = { family: family.id };
    for (const [key, p] of [
      ['relative', people[0]!],
      ['lawyer', people[1]!],
    ] as const) {
      const { rows } = await tx.query<{ id: string }>(
        `INSERT INTO applicant (name, national_id, email, birthday, mobile, password_hash, privacy_consent_at, email_verified_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) ON CONFLICT DO NOTHING RETURNING id`,
        [p.name, p.nationalId, p.email, p.birthday, p.mobile, p.hash, now],
      );
      if (!rows[0]) return; // someone registered these details themselves: leave them alone
      ids[key] = rows[0].id;
    }
    const grants: Array<[string, string, string, string[], string]> = [
      ['DEMO01', ids.family!, 'contact_book', [], 'father'],
      ['DEMO02', ids.family!, 'visit', ['onsite', 'remote', 'mobile'], 'father'],
      ['DEMO03', ids.relative!, 'visit', ['onsite', 'mobile'], 'sibling'],
      ['DEMO04', ids.lawyer!, 'lawyer_visit', [], 'lawyer'],
    ];
    for (const [suffix, applicant, service, kinds, relationship] of grants) {
      await tx.query(
        `INSERT INTO service_application (number, applicant_id, inmate_id, institution_code, service, visit_kinds, relationship, submission_key,
                                          submitted_at, status, decided_at)
         VALUES ($1, $2, $3, '2477', $4, $5, $6, gen_random_uuid(), $7, 'approved', $7)`,
        [`20260101-${suffix}`, applicant, inmate.id, service, kinds, relationship, now],
      );
    }
  });
}
