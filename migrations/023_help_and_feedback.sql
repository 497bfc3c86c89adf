-- 常見問題集, 操作教學 and 意見信箱 (issue 13).
-- FAQ entries and guide sections are written by the agency administrator in both languages, as plain
-- text (links and numbered steps); only published ones are public, in their order.
CREATE TABLE faq_entry (
  id bigserial PRIMARY KEY,
  service_group text NOT NULL CHECK (service_group IN ('contact_book', 'visit', 'lawyer_visit', 'account', 'other')),
  question_zh text NOT NULL CHECK (length(question_zh) BETWEEN 1 AND 400),
  question_en text NOT NULL CHECK (length(question_en) BETWEEN 1 AND 400),
  answer_zh text NOT NULL CHECK (length(answer_zh) BETWEEN 1 AND 10000),
  answer_en text NOT NULL CHECK (length(answer_en) BETWEEN 1 AND 10000),
  position integer NOT NULL DEFAULT 0 CHECK (position BETWEEN 0 AND 9999),
  published boolean NOT NULL DEFAULT true,
  version integer NOT NULL DEFAULT 1,
  updated_by bigint REFERENCES staff(id),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX faq_entry_order ON faq_entry (service_group, position, id);

CREATE TABLE guide_section (
  id bigserial PRIMARY KEY,
  title_zh text NOT NULL CHECK (length(title_zh) BETWEEN 1 AND 400),
  title_en text NOT NULL CHECK (length(title_en) BETWEEN 1 AND 400),
  steps_zh text NOT NULL CHECK (length(steps_zh) BETWEEN 1 AND 10000),
  steps_en text NOT NULL CHECK (length(steps_en) BETWEEN 1 AND 10000),
  position integer NOT NULL DEFAULT 0 CHECK (position BETWEEN 0 AND 9999),
  published boolean NOT NULL DEFAULT true,
  version integer NOT NULL DEFAULT 1,
  updated_by bigint REFERENCES staff(id),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- 意見信箱: a message to one institution or (institution_code NULL) to the agency. The sender reads its
-- state with the number and either the reply address or the short secret shown with the number (only
-- its SHA-256 is kept): a number alone opens nothing.
CREATE TABLE feedback (
  id bigserial PRIMARY KEY,
  number text NOT NULL UNIQUE CHECK (number ~ '^F[0-9]{8}-[0-9A-Z]{6}$'),
  secret_hash text NOT NULL,
  topic text NOT NULL CHECK (topic IN ('suggestion', 'question', 'complaint', 'praise', 'other')),
  institution_code text REFERENCES institution(code),
  message text NOT NULL CHECK (length(message) BETWEEN 1 AND 8000),
  sender_name text CHECK (length(sender_name) <= 100),
  email text CHECK (length(email) <= 254),
  locale text NOT NULL CHECK (locale IN ('zh-TW', 'en')),
  status text NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'replied')),
  reply text CHECK (length(reply) <= 8000),
  replied_by bigint REFERENCES staff(id),
  replied_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'replied') = (reply IS NOT NULL AND replied_at IS NOT NULL))
);
CREATE INDEX feedback_queue ON feedback (institution_code, status, created_at DESC);

-- The first content, from the service's own instructions (seed 001) and usual questions.
INSERT INTO faq_entry (service_group, position, question_zh, question_en, answer_zh, answer_en) VALUES
('contact_book', 10, '如何申請家庭聯絡簿？', 'How do I apply for the contact book?',
 E'1. 登入後，點選畫面上方之「帳號與服務」，選擇「家庭聯絡簿服務申請」。\n2. 選擇收容人所在之「機關名稱」，輸入「收容人呼號」及「與收容人之關係」後，點擊「查詢」鍵，並確認顯示之收容人姓名無誤。\n3. 上傳身分證明文件及關係證明文件（戶籍謄本）各1份（PDF、PNG、JPG、JPEG，合計30 MB以內）後，點選「送出申請」。\n\n機關審核後會以電子郵件通知結果。',
 E'1. Sign in, open "Account and services" at the top and choose "Apply for the contact book".\n2. Choose the institution, enter the inmate''s call number and your relationship, press "Look up" and check the name shown.\n3. Upload one proof of identity and one proof of relationship (household register; PDF, PNG, JPG or JPEG, 30 MB in all), then press "Send".\n\nThe institution mails you its decision.'),
('contact_book', 20, '誰可以申請家庭聯絡簿？', 'Who may apply for the contact book?',
 '收容人有15歲以下子女者，得由配偶或其一親等內之親屬（限1名申請）線上申辦家庭聯絡簿，並應上傳身分及雙方關係證明文件（戶籍謄本）各1份供機關審查。',
 'When an inmate has children aged 15 or under, their spouse or one first-degree relative (one person only) may apply online, with one proof of identity and one proof of the relationship (household register) for the institution to check.'),
('visit', 10, '如何預約接見？', 'How do I book a visit?',
 E'1. 先申請「預約接見」服務，待機關審核通過。\n2. 登入後點選「預約接見」，選擇收容人、日期及梯次。\n3. 確認接見人員後送出；機關審核後以電子郵件通知。',
 E'1. First apply for the visit service and wait for the institution''s approval.\n2. Sign in, open "Book a visit" and choose the inmate, the date and the time.\n3. Confirm who comes and send; the institution mails you its decision.'),
('lawyer_visit', 10, '律師如何預約接見？', 'How does a lawyer book a visit?',
 '律師請先以律師身分申請「律師接見」服務並上傳律師證書及委任狀，審核通過後即可預約接見時段。',
 'A lawyer first applies for the lawyer visit service with the lawyer''s licence and the power of attorney; once approved, visit times can be booked.'),
('account', 10, '沒有收到驗證信怎麼辦？', 'I did not get the verification mail.',
 '請檢查垃圾郵件匣。驗證信將於10分鐘後失效，失效後請至登入頁面點選「重寄驗證信」重新申請。',
 'Look in your spam folder. The link expires after 10 minutes; after that, ask for a new one with "Resend the link" on the sign-in page.'),
('account', 20, '忘記密碼怎麼辦？', 'I forgot my password.',
 '請至登入頁面點選「忘記密碼」，輸入註冊之電子郵件，依信中連結重設密碼（連結30分鐘內有效）。',
 'Choose "Forgot password" on the sign-in page and enter your registered e-mail address; the mailed link (valid 30 minutes) lets you set a new one.'),
('other', 10, '如何查詢申辦進度？', 'How do I follow my application?',
 '請至「申辦進度查詢」輸入申請編號及申請人生日即可查詢；意見信箱的回覆也可在同一頁以案件編號查詢。',
 'Open "Progress lookup" and enter the application number and the applicant''s birthday; replies from the opinion mailbox are read on the same page with the case number.');

INSERT INTO guide_section (position, title_zh, title_en, steps_zh, steps_en) VALUES
(10, '註冊帳號', 'Registering',
 E'1. 點選「註冊」，填寫姓名、身分證字號、生日、電子郵件及密碼。\n2. 至註冊時填寫之電子郵件信箱中收取認證信，並點擊網址完成認證步驟。\n3. 以註冊之信箱及密碼登入。',
 E'1. Choose "Register" and enter your name, ID number, birthday, e-mail address and a password.\n2. Open the verification mail sent to that address and follow its link.\n3. Sign in with your e-mail address and password.'),
(20, '服務項目申請', 'Applying for a service',
 E'1. 登入後，點選畫面上方之「帳號與服務」，選擇欲申請之服務項目。\n2. 選擇機關名稱，輸入收容人呼號及與收容人之關係，點擊「查詢」。\n3. 上傳佐證檔案後點選「送出申請」，並留意電子郵件通知。',
 E'1. Sign in, open "Account and services" and choose the service.\n2. Choose the institution, enter the call number and your relationship, and press "Look up".\n3. Upload the documents, press "Send" and watch for the mail.');
