/**
 * Text messages (簡訊) go out through an SMS gateway over HTTPS: the portal POSTs
 * `{"to": "+886912345678", "text": "…"}` as JSON with `Authorization: Bearer <SMS_TOKEN>` to SMS_URL,
 * and a 2xx answer means the gateway took it. Every commercial gateway in Taiwan offers such an HTTP
 * interface (or sits behind a small relay that does). Without SMS_URL no message leaves: it is kept
 * in the notification log as recorded, so staff can still see what would have been sent.
 */
export type OutgoingSms = { to: string; text: string };
export type SmsSender = { send(sms: OutgoingSms): Promise<void> };

export class SmsRefused extends Error {}

/** 0912-345-678, 0912 345 678, +886 912 345 678 → +886912345678; anything else → null. */
export function taiwanMobileE164(raw: string): string | null {
  const digits = raw.normalize('NFKC').replace(/[\s\-()]/g, '');
  const local = /^(?:\+886|886)?0?(9\d{8})$/.exec(digits);
  return local ? `+886${local[1]}` : null;
}

export function httpSmsSender(url: string, token: string | undefined, timeoutMs = 10_000): SmsSender {
  return {
    async send(sms) {
      const to = taiwanMobileE164(sms.to);
      // A number that can never be reached is refused for good rather than retried.
      if (!to) throw new SmsRefused(`not a Taiwanese mobile number: ${sms.to.replace(/\d(?=\d{3})/g, '•')}`);
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ to, text: sms.text }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!res.ok) throw new Error(`SMS gateway answered ${res.status}`);
      await res.body?.cancel();
    },
  };
}
