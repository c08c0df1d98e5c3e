// string-width for yargs' help layout (cliui, wrap-ansi), bundled by scripts/build.mjs in place of each
// string-width in yargs' tree. Both versions there (7 for cliui and wrap-ansi, 8 for yargs) build an
// Intl.Segmenter and Unicode-property regexes (\p{RGI_Emoji}) as they load: about 50 ms, and with the
// rest of their loading about 95 ms of CPU on every --help (docs/performance.md), paid before any text is
// measured. This stand-in measures text made of one-column characters — all of gen-ownertypes' help — by
// its length, and hands anything else to the real string-width it stands in for, loaded on that first
// call (the bundle keeps it behind a lazy require). So it is exact by construction, and
// test/package/stand-ins.test.ts checks the one-column shortcut against every string-width installed.
import stripAnsi from 'strip-ansi';

// One column per code point in every string-width installed: ASCII, Latin-1 and Latin Extended (without
// the soft hyphen), Cyrillic without its combining marks, and the punctuation, arrows and math signs help
// texts use (· — … → ≤). Left out: the characters string-width 7 counts as emoji, two columns even
// without a variation selector (© ® ‼ ⁉ ↔ ↕ ↖ ↗ ↘ ↙ ↩ ↪).
export const ONE_COLUMN =
  /^[\u0020-\u007E\u00A0-\u00A8\u00AA-\u00AC\u00AF-\u024F\u0400-\u0482\u048A-\u04FF\u2010-\u2027\u2030-\u203B\u203D-\u2048\u204A-\u205E\u2190-\u2193\u219A-\u21A8\u21AB-\u22FF]*$/;

/** A string-width that answers one-column text itself and asks `loadReal()` for everything else. */
export function createStringWidth(loadReal) {
  let real;
  return function stringWidth(input, options = {}) {
    if (typeof input !== 'string' || input.length === 0) return 0;
    // Ambiguous-width characters (·, —, Cyrillic…) are two columns when they are not narrow.
    if (options.ambiguousIsNarrow !== false && options.countAnsiEscapeCodes !== true) {
      const text = stripAnsi(input);
      if (ONE_COLUMN.test(text)) return text.length;
    }
    real ??= loadReal();
    return real(input, options);
  };
}
