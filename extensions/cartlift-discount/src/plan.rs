//! The discount plan the publisher compiles from the offer engine (app/engine/plan.ts, which
//! documents every field): read into lookups. A plan of another version, or one that does
//! not have the plan's shape, is refused (the caller then applies no discount).

use crate::json::{decode_raw, eq, key, Bytes, Reader, R};

const K_A: u64 = key(b"a");
const K_B: u64 = key(b"b");
const K_C: u64 = key(b"c");
const K_D: u64 = key(b"d");
const K_E: u64 = key(b"e");
const K_F: u64 = key(b"f");
const K_G: u64 = key(b"g");
const K_I: u64 = key(b"i");
const K_K: u64 = key(b"k");
const K_M: u64 = key(b"m");
const K_O: u64 = key(b"o");
const K_P: u64 = key(b"p");
const K_Q: u64 = key(b"q");
const K_S: u64 = key(b"s");
const K_T: u64 = key(b"t");
const K_U: u64 = key(b"u");
const K_V: u64 = key(b"v");
const K_W: u64 = key(b"w");
const K_X: u64 = key(b"x");
const K_Y: u64 = key(b"y");

pub const PLAN_VERSION: i64 = 2;
/// app/engine/plan.ts SCHEDULE_SLOTS: the input answers `a0`…`a5`.
pub const SCHEDULE_SLOTS: usize = 6;

#[derive(Clone, Copy)]
pub enum Discount {
    None,
    /// Percent off (0 < p ≤ 100, fractions allowed).
    Percent(f64),
    /// Shop minor units off each unit.
    Amount(i64),
}

pub enum Condition<'a> {
    All(Vec<Condition<'a>>),
    Any(Vec<Condition<'a>>),
    /// fact 2 subtotal, 3 item count, 4 order count; op 0 gte, 1 lte, 2 eq.
    Number { fact: u8, op: u8, value: i64 },
    LoggedIn(bool),
    Country { within: bool, list: Vec<Bytes<'a>> },
    Constant(bool),
}

pub struct Offer<'a> {
    /// 0 cross-sell, 1 upsell, 2 bundle, 3 quantity break.
    pub kind: u8,
    pub id: Bytes<'a>,
    /// The message, still JSON-escaped (written out as it is).
    pub message: &'a [u8],
    pub discount: Discount,
    pub tiers: Vec<(i64, Discount)>,
    pub products: Vec<Bytes<'a>>,
    pub variants: Vec<Bytes<'a>>,
    /// Bundle component quantities (their products are in `Plan::bundles`).
    pub components: Vec<i64>,
    pub has_trigger: bool,
    pub start: i64,
    pub end: i64,
    pub condition: Option<Condition<'a>>,
}

pub struct Goal<'a> {
    pub amount: i64,
    /// Explicit thresholds: currency (as written) → cart minor units.
    pub amounts: Vec<(&'a [u8], i64)>,
    pub message: &'a [u8],
    /// Gift tiers: the variant given.
    pub gift: Bytes<'a>,
}

/// Open-addressing hash map from a key's bytes to a list of values.
pub struct Lookup<'a, V> {
    entries: Vec<(Bytes<'a>, Vec<V>)>,
    /// Per slot: entry number + 1 (0: empty), and the key's hash.
    slots: Vec<(u32, u32)>,
}

#[inline]
pub fn hash(b: &[u8]) -> u32 {
    // Eight bytes at a time (FxHash's step), then the rest byte by byte.
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h: u64 = b.len() as u64;
    let mut i = 0;
    while i + 8 <= b.len() {
        h = (h.rotate_left(5) ^ crate::json::load8(b, i)).wrapping_mul(K);
        i += 8;
    }
    while i < b.len() {
        h = (h.rotate_left(5) ^ b[i] as u64).wrapping_mul(K);
        i += 1;
    }
    (h >> 32) as u32 ^ h as u32
}

impl<'a, V> Lookup<'a, V> {
    fn new(entries: Vec<(Bytes<'a>, Vec<V>)>) -> Self {
        let mut size = 8;
        while size < entries.len() * 2 {
            size *= 2;
        }
        let mut slots = vec![(0u32, 0u32); size];
        for (n, (key, _)) in entries.iter().enumerate() {
            let h = hash(key);
            let mut s = h as usize & (size - 1);
            while slots[s].0 != 0 {
                s = (s + 1) & (size - 1);
            }
            slots[s] = (n as u32 + 1, h);
        }
        Lookup { entries, slots }
    }

    pub fn get(&self, key: &[u8]) -> &[V] {
        if self.entries.is_empty() {
            return &[];
        }
        let mask = self.slots.len() - 1;
        let h = hash(key);
        let mut s = h as usize & mask;
        loop {
            let (n, kh) = self.slots[s];
            if n == 0 {
                return &[];
            }
            if kh == h {
                let (k, v) = &self.entries[n as usize - 1];
                if eq(k, key) {
                    return v;
                }
            }
            s = (s + 1) & mask;
        }
    }
}

pub struct Plan<'a> {
    pub currency: &'a [u8],
    pub offers: Vec<Offer<'a>>,
    /// Trigger lookups by products, variants, vendors, product types → offer indexes.
    pub triggers: [Lookup<'a, u32>; 4],
    /// Offer ids (cross-sells and upsells) → offer index.
    pub ids: Lookup<'a, u32>,
    /// Bundle component products → (offer index, component index).
    pub bundles: Lookup<'a, (u32, u32)>,
    pub free_shipping: Option<Goal<'a>>,
    pub gifts: Vec<Goal<'a>>,
    /// Schedule slots: slot k's instant, which the input's `a{k}` compares now with.
    pub slots: Vec<i64>,
    /// The instants left to the shop's date window, when there are any (`planMoments`).
    pub window: Option<Vec<i64>>,
}

fn discount(r: &mut Reader) -> R<Discount> {
    let mut d = Discount::None;
    r.object(|r, _, key| {
        d = match key {
            K_P => Discount::Percent(r.f64()?),
            K_A => Discount::Amount(r.int()?),
            _ => return r.skip(),
        };
        Ok(())
    })?;
    match d {
        Discount::Percent(p) if p > 0.0 && p <= 100.0 => Ok(d),
        Discount::Amount(a) if a > 0 => Ok(d),
        _ => Err(()),
    }
}

fn strings<'a>(r: &mut Reader<'a>) -> R<Vec<Bytes<'a>>> {
    let mut out = Vec::new();
    r.array(|r| {
        out.push(r.string()?.bytes());
        Ok(())
    })?;
    Ok(out)
}

fn condition<'a>(r: &mut Reader<'a>, depth: u32) -> R<Condition<'a>> {
    if depth > 64 {
        return Err(());
    }
    let mut item = 0;
    let mut kind = 0;
    let mut children = Vec::new();
    let (mut a, mut b) = (0i64, 0i64);
    let mut flag = false;
    let mut list = Vec::new();
    r.array(|r| {
        match (item, kind) {
            (0, _) => kind = r.int()?,
            (_, 0 | 1) => children.push(condition(r, depth + 1)?),
            (1, 2..=4) => a = r.int()?,
            (2, 2..=4) => b = r.int()?,
            (1, 5..=7) => flag = r.boolean()?,
            (2, 6) => list = strings(r)?,
            _ => return Err(()),
        }
        item += 1;
        Ok(())
    })?;
    Ok(match kind {
        0 => Condition::All(children),
        1 => Condition::Any(children),
        2..=4 if item == 3 && (0..=2).contains(&a) => Condition::Number { fact: kind as u8, op: a as u8, value: b },
        5 if item == 2 => Condition::LoggedIn(flag),
        6 if item == 3 => Condition::Country { within: flag, list },
        7 if item == 2 => Condition::Constant(flag),
        _ => return Err(()),
    })
}

fn offer<'a>(r: &mut Reader<'a>) -> R<Offer<'a>> {
    let mut o = Offer {
        kind: 255,
        id: Bytes::Borrowed(b""),
        message: b"",
        discount: Discount::None,
        tiers: Vec::new(),
        products: Vec::new(),
        variants: Vec::new(),
        components: Vec::new(),
        has_trigger: false,
        start: i64::MIN,
        end: i64::MAX,
        condition: None,
    };
    r.object(|r, _, key| {
        match key {
            K_K => o.kind = r.int()?.clamp(0, 255) as u8,
            K_I => o.id = r.string()?.bytes(),
            K_M => o.message = r.string()?.raw,
            K_D => o.discount = discount(r)?,
            K_Q => r.array(|r| {
                let (mut q, mut d, mut n) = (0, Discount::None, 0);
                r.array(|r| {
                    if n == 0 {
                        q = r.int()?;
                    } else {
                        d = discount(r)?;
                    }
                    n += 1;
                    Ok(())
                })?;
                if n != 2 {
                    return Err(());
                }
                o.tiers.push((q, d));
                Ok(())
            })?,
            K_P => o.products = strings(r)?,
            K_U => o.variants = strings(r)?,
            // Component products are looked up through the plan's `y`; quantities kept here.
            K_B => r.array(|r| {
                let mut n = 0;
                r.array(|r| {
                    if n == 1 {
                        o.components.push(r.int()?);
                    } else {
                        r.skip()?;
                    }
                    n += 1;
                    Ok(())
                })
            })?,
            K_T => o.has_trigger = r.int()? == 1,
            K_S => o.start = r.int()?,
            K_E => o.end = r.int()?,
            K_C => o.condition = Some(condition(r, 0)?),
            _ => r.skip()?,
        }
        Ok(())
    })?;
    let ok = match o.kind {
        0 | 1 => !matches!(o.discount, Discount::None),
        2 => !matches!(o.discount, Discount::None) && o.components.iter().all(|&q| q >= 1),
        3 => !o.tiers.is_empty(),
        _ => false,
    };
    if ok {
        Ok(o)
    } else {
        Err(())
    }
}

fn goal<'a>(r: &mut Reader<'a>) -> R<Goal<'a>> {
    let mut g = Goal { amount: 0, amounts: Vec::new(), message: b"", gift: Bytes::Borrowed(b"") };
    r.object(|r, _, key| {
        match key {
            K_A => g.amount = r.int()?,
            K_X => r.object(|r, currency, _| {
                g.amounts.push((currency, r.int()?));
                Ok(())
            })?,
            K_M => g.message = r.string()?.raw,
            K_G => g.gift = r.string()?.bytes(),
            _ => r.skip()?,
        }
        Ok(())
    })?;
    if g.amount >= 1 {
        Ok(g)
    } else {
        Err(())
    }
}

/// index → list of numbers / pairs, keyed by string.
fn lookup<'a, V>(r: &mut Reader<'a>, mut value: impl FnMut(&mut Reader<'a>) -> R<V>) -> R<Lookup<'a, V>> {
    let mut entries = Vec::new();
    r.object(|r, raw, _| {
        let key = decode_raw(raw);
        let mut values = Vec::new();
        r.array(|r| {
            values.push(value(r)?);
            Ok(())
        })?;
        entries.push((key, values));
        Ok(())
    })?;
    Ok(Lookup::new(entries))
}

/// Reads the plan (the metafield's `jsonValue`). Errors on any other version or shape.
pub fn read<'a>(r: &mut Reader<'a>) -> R<Plan<'a>> {
    let mut version = 0;
    let mut currency: &[u8] = b"";
    let mut offers = Vec::new();
    let mut triggers = None;
    let mut bundles = None;
    let mut free_shipping = None;
    let mut gifts = Vec::new();
    let mut slots = Vec::new();
    let mut window = None;
    r.object(|r, _, key| {
        match key {
            K_V => version = r.int()?,
            K_C => currency = r.string()?.raw,
            K_O => r.array(|r| {
                offers.push(offer(r)?);
                Ok(())
            })?,
            K_X => {
                let mut four = Vec::with_capacity(4);
                r.array(|r| {
                    four.push(lookup(r, |r| Ok(r.int()? as u32))?);
                    Ok(())
                })?;
                if four.len() != 4 {
                    return Err(());
                }
                let mut it = four.into_iter();
                triggers = Some([it.next().unwrap(), it.next().unwrap(), it.next().unwrap(), it.next().unwrap()]);
            }
            K_Y => {
                bundles = Some(lookup(r, |r| {
                    let mut pair = [0u32; 2];
                    let mut n = 0;
                    r.array(|r| {
                        if n < 2 {
                            pair[n] = r.int()? as u32;
                        } else {
                            r.skip()?;
                        }
                        n += 1;
                        Ok(())
                    })?;
                    Ok((pair[0], pair[1]))
                })?)
            }
            K_F => free_shipping = Some(goal(r)?),
            K_G => r.array(|r| {
                gifts.push(goal(r)?);
                Ok(())
            })?,
            K_T => r.array(|r| {
                slots.push(r.int()?);
                Ok(())
            })?,
            K_W => {
                let mut list = Vec::new();
                r.array(|r| {
                    list.push(r.int()?);
                    Ok(())
                })?;
                window = Some(list);
            }
            _ => r.skip()?,
        }
        Ok(())
    })?;
    if version != PLAN_VERSION || currency.len() != 3 || !currency.iter().all(|c| c.is_ascii_uppercase()) || slots.len() > SCHEDULE_SLOTS {
        return Err(());
    }
    let (triggers, bundles) = match (triggers, bundles) {
        (Some(t), Some(b)) => (t, b),
        _ => return Err(()),
    };
    let n = offers.len() as u32;
    // Every index must point at an offer of the right kind.
    for t in triggers.iter() {
        for (_, list) in t.entries.iter() {
            if list.iter().any(|&o| o >= n || !matches!(offers[o as usize].kind, 0 | 3)) {
                return Err(());
            }
        }
    }
    for (_, list) in bundles.entries.iter() {
        for &(o, j) in list {
            if o >= n || offers[o as usize].kind != 2 || j as usize >= offers[o as usize].components.len() {
                return Err(());
            }
        }
    }
    let ids = Lookup::new(
        offers
            .iter()
            .enumerate()
            .filter(|(_, o)| o.kind <= 1)
            .map(|(k, o)| (o.id.clone(), vec![k as u32]))
            .collect(),
    );
    Ok(Plan { currency, offers, triggers, ids, bundles, free_shipping, gifts, slots, window })
}
