import svgCaptcha from 'svg-captcha';

// The README documents svgCaptcha(text, options), drawing a given text; its typings only declare create().
const drawText = svgCaptcha as unknown as (
  text: string,
  options: { width: number; height: number; fontSize: number; noise: number; background: string },
) => string;

const ZH_DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
const EN_DIGITS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

/** The code as a picture: svg-captcha draws each character as distorted paths, with no text to read. */
export function drawCaptcha(answer: string): string {
  return drawText(answer, { width: 160, height: 56, fontSize: 56, noise: 2, background: '#ffffff' });
}

/** The accessible form of a digits code: the digits as words in the page's language, for a screen reader. */
export function captchaWords(answer: string, locale: string): string {
  const words = locale === 'en' ? EN_DIGITS : ZH_DIGITS;
  return [...answer].map((d) => words[Number(d)]).join(' ');
}
