//! A one-pass JSON reader over the input bytes: values are read where they stand, strings
//! stay slices of the input (decoded only when they hold an escape), and whatever the
//! caller does not ask for is skipped without being built. Any malformed input is an
//! `Err(())`: the caller then applies no discount (fail closed).

use std::borrow::Cow;

pub type R<T> = Result<T, ()>;

/// A string's bytes, decoded (borrowed from the input unless it held an escape).
pub type Bytes<'a> = Cow<'a, [u8]>;

/// A JSON string as it stands in the input: `raw` is the text between the quotes, still
/// escaped (valid inside a JSON string as it is, so it can be written out verbatim).
#[derive(Clone, Copy)]
pub struct Str<'a> {
    pub raw: &'a [u8],
    escaped: bool,
}

impl<'a> Str<'a> {
    /// The decoded bytes (UTF-8).
    pub fn bytes(&self) -> Bytes<'a> {
        if !self.escaped {
            Cow::Borrowed(self.raw)
        } else {
            Cow::Owned(unescape(self.raw))
        }
    }
}

fn hex4(b: &[u8]) -> u32 {
    let mut v = 0;
    for &c in b.iter().take(4) {
        let d = match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            b'A'..=b'F' => c - b'A' + 10,
            _ => 0,
        };
        v = v * 16 + d as u32;
    }
    v
}

/// Decodes a string's escapes (the reader has checked that every `\` starts one).
fn unescape(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let c = raw[i];
        i += 1;
        if c != b'\\' {
            out.push(c);
            continue;
        }
        let e = raw.get(i).copied().unwrap_or(b'\\');
        i += 1;
        let simple = match e {
            b'n' => b'\n',
            b't' => b'\t',
            b'r' => b'\r',
            b'b' => 8,
            b'f' => 12,
            b'u' => 0,
            other => other,
        };
        if e != b'u' {
            out.push(simple);
            continue;
        }
        let mut code = hex4(&raw[i.min(raw.len())..]);
        i += 4;
        // A surrogate pair is one character; a lone surrogate becomes U+FFFD.
        if (0xD800..0xDC00).contains(&code) && raw.get(i) == Some(&b'\\') && raw.get(i + 1) == Some(&b'u') {
            let low = hex4(&raw[(i + 2).min(raw.len())..]);
            if (0xDC00..0xE000).contains(&low) {
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                i += 6;
            }
        }
        let ch = char::from_u32(code).unwrap_or('\u{FFFD}');
        let mut buf = [0u8; 4];
        out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
    }
    out
}

/// Decodes a string's raw text (as `Reader::object` passes keys).
pub fn decode_raw(raw: &[u8]) -> Bytes<'_> {
    if raw.contains(&b'\\') {
        Cow::Owned(unescape(raw))
    } else {
        Cow::Borrowed(raw)
    }
}

pub struct Reader<'a> {
    b: &'a [u8],
    i: usize,
}

impl<'a> Reader<'a> {
    pub fn new(b: &'a [u8]) -> Self {
        Reader { b, i: 0 }
    }

    /// The next significant byte (0 at the end), not consumed.
    #[inline]
    pub fn peek(&mut self) -> u8 {
        match self.b.get(self.i) {
            // Shopify's input is compact JSON: whitespace is the rare case.
            Some(&c) if c > b' ' => c,
            _ => self.skip_whitespace(),
        }
    }

    #[inline(never)]
    fn skip_whitespace(&mut self) -> u8 {
        while let Some(&c) = self.b.get(self.i) {
            if c == b' ' || c == b'\n' || c == b'\r' || c == b'\t' {
                self.i += 1;
            } else {
                return c;
            }
        }
        0
    }

    #[inline]
    fn eat(&mut self, c: u8) -> R<()> {
        if self.peek() == c {
            self.i += 1;
            Ok(())
        } else {
            Err(())
        }
    }

    /// Whether the input is fully read (only whitespace left).
    pub fn at_end(&mut self) -> bool {
        self.peek() == 0 && self.i >= self.b.len()
    }

    /// Consumes `text` if it comes next, exactly (no whitespace skipped). Compares eight bytes
    /// at a time against the literal's bytes as numbers (folded to constants when inlined).
    #[inline(always)]
    pub fn lit(&mut self, text: &[u8]) -> bool {
        let n = text.len();
        let i = self.i;
        if i + n + 8 > self.b.len() {
            // Near the end of the input: plain comparison.
            if i + n <= self.b.len() && self.b[i..i + n] == *text {
                self.i = i + n;
                return true;
            }
            return false;
        }
        let mut k = 0;
        while k < n {
            let m = if n - k < 8 { n - k } else { 8 };
            let mask = if m == 8 { u64::MAX } else { (1u64 << (8 * m)) - 1 };
            if load8(self.b, i + k) & mask != key(&text[k..k + m]) {
                return false;
            }
            k += 8;
        }
        self.i = i + n;
        true
    }

    /// Where the reader is, to come back to (`rewind`).
    pub fn at(&self) -> usize {
        self.i
    }

    pub fn rewind(&mut self, at: usize) {
        self.i = at;
    }

    /// Consumes `null` if it is next.
    pub fn null(&mut self) -> R<bool> {
        if self.peek() != b'n' {
            return Ok(false);
        }
        self.word(b"null")?;
        Ok(true)
    }

    fn word(&mut self, w: &[u8]) -> R<()> {
        let end = self.i + w.len();
        if end <= self.b.len() && key(&self.b[self.i..end]) == key(w) {
            self.i = end;
            Ok(())
        } else {
            Err(())
        }
    }

    pub fn boolean(&mut self) -> R<bool> {
        if self.peek() == b't' {
            self.word(b"true")?;
            Ok(true)
        } else {
            self.word(b"false")?;
            Ok(false)
        }
    }

    pub fn string(&mut self) -> R<Str<'a>> {
        self.eat(b'"')?;
        let b = self.b;
        let i = self.i;
        // Keys and short values: one byte, then the quote.
        if b.get(i + 1) == Some(&b'"') && !matches!(b[i], b'"' | b'\\') && b[i] >= 0x20 {
            self.i = i + 2;
            return Ok(Str { raw: &b[i..i + 1], escaped: false });
        }
        self.string_from(i)
    }

    /// A string starting with `prefix` (a Shopify GID's "gid://shopify/Product/"): the whole
    /// string, and the part after the prefix when it holds no escape or `?` (the short id).
    /// None (nothing consumed) when the next value is not such a string.
    #[inline(always)]
    pub fn prefixed(&mut self, prefix: &[u8]) -> Option<(Str<'a>, Option<&'a [u8]>)> {
        let at = self.i;
        if !(self.lit(b"\"") && self.lit(prefix)) {
            self.i = at;
            return None;
        }
        let tail = self.i;
        match self.string_from(at + 1) {
            Ok(s) => {
                let rest = &self.b[tail..self.i - 1];
                let short = if s.escaped || rest.is_empty() || has_byte(self.b, tail, self.i - 1, b'?') { None } else { Some(rest) };
                Some((s, short))
            }
            Err(_) => {
                self.i = at;
                None
            }
        }
    }

    /// The rest of a string whose text starts at `start` (the reader is inside it).
    fn string_from(&mut self, start: usize) -> R<Str<'a>> {
        let b = self.b;
        let mut i = self.i;
        let mut escaped = false;
        loop {
            // Eight bytes at a time: the first quote, backslash or control character among
            // them is found in one step (reading the input dominates the instruction count).
            if i + 8 <= b.len() {
                let m = special(load8(b, i));
                if m == 0 {
                    i += 8;
                    continue;
                }
                i += (m.trailing_zeros() / 8) as usize;
            }
            match b.get(i) {
                Some(b'"') => break,
                Some(b'\\') => {
                    escaped = true;
                    i += 2;
                }
                Some(&c) if c < 0x20 => return Err(()),
                Some(_) => i += 1,
                None => return Err(()),
            }
        }
        self.i = i + 1;
        Ok(Str { raw: &b[start..i], escaped })
    }

    /// A string, or None for `null`.
    pub fn opt_string(&mut self) -> R<Option<Str<'a>>> {
        if self.null()? {
            Ok(None)
        } else {
            self.string().map(Some)
        }
    }

    /// The text of a number, checked against JSON's grammar.
    fn number_text(&mut self) -> R<&'a [u8]> {
        self.peek();
        let start = self.i;
        let b = self.b;
        let mut i = start;
        if b.get(i) == Some(&b'-') {
            i += 1;
        }
        let digits = |i: &mut usize| {
            let from = *i;
            while matches!(b.get(*i), Some(b'0'..=b'9')) {
                *i += 1;
            }
            *i > from
        };
        if !digits(&mut i) {
            return Err(());
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            if !digits(&mut i) {
                return Err(());
            }
        }
        if matches!(b.get(i), Some(b'e' | b'E')) {
            i += 1;
            if matches!(b.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            if !digits(&mut i) {
                return Err(());
            }
        }
        self.i = i;
        Ok(&b[start..i])
    }

    /// A number as a double (exactly what JavaScript's JSON.parse gives).
    pub fn f64(&mut self) -> R<f64> {
        let text = self.number_text()?;
        // Whole numbers up to 2^53 are exactly their digits (percentages mostly are).
        if text.len() <= 15 && text.iter().all(|c| c.is_ascii_digit()) {
            return Ok(text.iter().fold(0i64, |v, &c| v * 10 + (c - b'0') as i64) as f64);
        }
        parse_f64(text).ok_or(())
    }

    /// A whole number (within ±2^53, like the engine's safe integers).
    pub fn int(&mut self) -> R<i64> {
        self.peek();
        let b = self.b;
        let start = self.i;
        let mut i = start;
        let neg = b.get(i) == Some(&b'-');
        if neg {
            i += 1;
        }
        let mut v: i64 = 0;
        let digits = i;
        while let Some(&c) = b.get(i) {
            if !c.is_ascii_digit() {
                break;
            }
            v = v.wrapping_mul(10).wrapping_add((c - b'0') as i64);
            i += 1;
        }
        let n = i - digits;
        if n > 0 && n <= 16 && !matches!(b.get(i), Some(b'.' | b'e' | b'E')) && v <= MAX_SAFE {
            self.i = i;
            return Ok(if neg { -v } else { v });
        }
        // A fraction or exponent: a whole number written another way, or not one at all.
        let text = self.number_text()?;
        let v = parse_f64(text).ok_or(())?;
        if v.fract() == 0.0 && v.abs() <= MAX_SAFE as f64 {
            Ok(v as i64)
        } else {
            Err(())
        }
    }

    /// Reads an object, calling `field` with each key (raw, and as `key()` gives it); `field`
    /// must read (or skip) the value.
    pub fn object(&mut self, mut field: impl FnMut(&mut Self, &'a [u8], u64) -> R<()>) -> R<()> {
        self.eat(b'{')?;
        if self.peek() == b'}' {
            self.i += 1;
            return Ok(());
        }
        loop {
            let raw = self.string()?.raw;
            let code = if raw.is_empty() {
                0
            } else if raw.len() > 8 {
                LONG
            } else if self.i + 8 <= self.b.len() {
                // The key's bytes (then whatever follows them, masked off).
                load8(self.b, self.i - 1 - raw.len()) & (u64::MAX >> (64 - 8 * raw.len() as u32))
            } else {
                key(raw)
            };
            self.eat(b':')?;
            field(self, raw, code)?;
            match self.peek() {
                b',' => self.i += 1,
                b'}' => {
                    self.i += 1;
                    return Ok(());
                }
                _ => return Err(()),
            }
        }
    }

    /// Reads an array, calling `item` for each element; `item` must read (or skip) it.
    pub fn array(&mut self, mut item: impl FnMut(&mut Self) -> R<()>) -> R<()> {
        self.eat(b'[')?;
        if self.peek() == b']' {
            self.i += 1;
            return Ok(());
        }
        loop {
            item(self)?;
            match self.peek() {
                b',' => self.i += 1,
                b']' => {
                    self.i += 1;
                    return Ok(());
                }
                _ => return Err(()),
            }
        }
    }

    /// Skips any value.
    pub fn skip(&mut self) -> R<()> {
        match self.peek() {
            b'"' => self.string().map(|_| ()),
            b'{' => self.object(|r, _, _| r.skip()),
            b'[' => self.array(|r| r.skip()),
            b't' | b'f' => self.boolean().map(|_| ()),
            b'n' => self.word(b"null"),
            _ => self.number_text().map(|_| ()),
        }
    }
}

/// Byte-slice equality, eight bytes at a time (the library's `memcmp` goes byte by byte).
#[inline]
pub fn eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i + 8 <= a.len() {
        if load8(a, i) != load8(b, i) {
            return false;
        }
        i += 8;
    }
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Whether `b[from..to]` holds the byte `c` (eight bytes at a time where `b` allows).
#[inline]
fn has_byte(b: &[u8], from: usize, to: usize, c: u8) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut i = from;
    while i < to {
        if i + 8 > b.len() {
            return b[i..to].contains(&c);
        }
        let n = (to - i).min(8);
        let x = load8(b, i) ^ (ONES * c as u64);
        let mut hit = x.wrapping_sub(ONES) & !x & HIGH;
        if n < 8 {
            hit &= (1u64 << (8 * n)) - 1;
        }
        if hit != 0 {
            return true;
        }
        i += 8;
    }
    false
}

/// Eight bytes from `b[i..]` (the caller checks `i + 8 <= b.len()`), little-endian.
#[inline]
pub fn load8(b: &[u8], i: usize) -> u64 {
    debug_assert!(i + 8 <= b.len());
    // SAFETY: the caller guarantees the eight bytes are in `b`; the read is unaligned.
    unsafe { (b.as_ptr().add(i) as *const u64).read_unaligned() }
}

/// The high bit of each byte of the word (little-endian) that is `"` or `\\`, exact up to the
/// first such byte (all the caller uses). Control characters, which JSON does not allow in a
/// string, are checked one byte at a time only where a string ends (Shopify writes none).
#[inline]
fn special(w: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    zero(w ^ (ONES * b'"' as u64)) | zero(w ^ (ONES * b'\\' as u64))
}

/// A key as a number: its bytes little-endian when it has at most 8 (so `match` arms compare
/// integers, not slices), `LONG` otherwise.
pub const fn key(k: &[u8]) -> u64 {
    if k.len() > 8 {
        return LONG;
    }
    let mut v = 0u64;
    let mut n = k.len();
    while n > 0 {
        n -= 1;
        v = (v << 8) | k[n] as u64;
    }
    v
}

pub const LONG: u64 = u64::MAX;

/// 2^53 − 1: Number.MAX_SAFE_INTEGER.
pub const MAX_SAFE: i64 = 9_007_199_254_740_991;

fn parse_f64(text: &[u8]) -> Option<f64> {
    std::str::from_utf8(text).ok()?.parse::<f64>().ok()
}

/// JavaScript's `Number(text)` for the decimal strings Shopify sends ("0.92", "29.99",
/// "1500.0"): surrounding whitespace ignored, "" is 0, ".5" and "5." read as JavaScript
/// reads them; anything but a decimal number (including "Infinity" and hex) is NaN here,
/// which every caller treats like JavaScript's non-finite results: unusable.
pub fn js_number(text: &[u8]) -> f64 {
    let t = trim(text);
    if t.is_empty() {
        return 0.0;
    }
    let body = if t[0] == b'+' { &t[1..] } else { t };
    let whole = |b: &[u8]| {
        let mut r = Reader::new(b);
        match r.number_text() {
            Ok(n) if n.len() == b.len() => parse_f64(n).unwrap_or(f64::NAN),
            _ => f64::NAN,
        }
    };
    let v = whole(body);
    if !v.is_nan() {
        return v;
    }
    // JSON's grammar wants a digit on both sides of the point; JavaScript does not.
    let mut fixed = Vec::with_capacity(body.len() + 2);
    for (k, &c) in body.iter().enumerate() {
        if c == b'.' && (k == 0 || body[k - 1] == b'-') {
            fixed.push(b'0');
        }
        fixed.push(c);
        if c == b'.' && !matches!(body.get(k + 1), Some(b'0'..=b'9')) {
            fixed.push(b'0');
        }
    }
    whole(&fixed)
}

fn trim(b: &[u8]) -> &[u8] {
    let ws = |c: &u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c);
    let start = b.iter().position(|c| !ws(c)).unwrap_or(b.len());
    let end = b.iter().rposition(|c| !ws(c)).map_or(start, |e| e + 1);
    &b[start..end]
}
