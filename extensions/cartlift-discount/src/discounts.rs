//! What the cart earns under the plan: the offer engine's `evaluate` discounts
//! (app/engine/evaluate.ts `earnedDiscounts`, goals and gifts) at each of the plan's moments,
//! merged, as app/engine/plan.ts `planDiscounts` defines them. Only lookups and arithmetic:
//! every rule was compiled into the plan at publish.
//!
//! Invariants (the engine's):
//! - Prices are Shopify's (`cost.amountPerQuantity`); the `_cartlift_offer` attribute only
//!   names an offer, and a cross-sell's line earns it only while a line of its trigger is in
//!   the cart (removing the parent removes the discount); an upsell's, for its target variant.
//! - One discount per line, the largest (ties: the first found: offer line, then bundles and
//!   quantity breaks in plan order, then gifts); across moments the largest, ties earliest.
//! - Reward tiers measure the cart after these discounts, without gift units; free shipping
//!   measures what is paid: the cart after every discount, gifts given included.
//! - Money rounds as app/engine/money.ts does, in the same floating-point steps.
//! - Anything the engine would refuse (invalid cart, missing rate, unreadable date): None.

use crate::input::Input;
use crate::json::{eq, Str, MAX_SAFE};
use crate::plan::{Condition, Discount, Goal, Plan};

/// ISO 4217 minor-unit exponents (app/engine/money.ts `minorDigits`).
pub fn minor_digits(currency: &[u8]) -> i32 {
    const ZERO: [&[u8]; 16] = [b"BIF", b"CLP", b"DJF", b"GNF", b"ISK", b"JPY", b"KMF", b"KRW", b"PYG", b"RWF", b"UGX", b"VND", b"VUV", b"XAF", b"XOF", b"XPF"];
    const THREE: [&[u8]; 7] = [b"BHD", b"IQD", b"JOD", b"KWD", b"LYD", b"OMR", b"TND"];
    if currency.len() != 3 {
        2
    } else if ZERO.contains(&currency) {
        0
    } else if THREE.contains(&currency) {
        3
    } else {
        2
    }
}

/// 10^n for n in −3..=3, exactly the doubles JavaScript's `10 ** n` gives.
fn pow10(n: i32) -> f64 {
    [0.001, 0.01, 0.1, 1.0, 10.0, 100.0, 1000.0][(n + 3).clamp(0, 6) as usize]
}

/// `percentOf`: percent % of amount, rounded half up, clamped to 0..amount.
fn percent_of(amount: i64, percent: f64) -> i64 {
    let v = ((amount as f64 * percent + 50.0) / 100.0).floor();
    (v.max(0.0) as i64).min(amount)
}

/// JavaScript's Math.round.
fn js_round(x: f64) -> f64 {
    let f = x.floor();
    if x - f >= 0.5 {
        f + 1.0
    } else {
        f
    }
}

/// `decimalToMinor` for the common case, without floating point: a plain decimal with at most
/// the currency's decimals ("12.5", "699.00", "1500.0" in JPY when the fraction is zero is
/// not this case) is exactly its minor units, which is what Math.round(+amount * 10^d)
/// gives for such amounts. Anything else: None (the caller takes the floating-point path).
fn exact_minor(text: &[u8], digits: i32) -> Option<i64> {
    let mut v: i64 = 0;
    let mut n = 0;
    let mut fraction: Option<i32> = None;
    for &c in text {
        match c {
            b'0'..=b'9' => {
                v = v * 10 + (c - b'0') as i64;
                n += 1;
                if let Some(f) = fraction.as_mut() {
                    *f += 1;
                }
            }
            b'.' if fraction.is_none() => fraction = Some(0),
            _ => return None,
        }
    }
    let f = fraction.unwrap_or(0);
    if n == 0 || n > 15 || f > digits {
        return None;
    }
    Some(v * [1, 10, 100, 1000][(digits - f).clamp(0, 3) as usize])
}

/// A line as the engine sees it.
struct CartLine<'a> {
    id: &'a [u8],
    quantity: i64,
    price: i64,
    product: std::borrow::Cow<'a, [u8]>,
    variant: std::borrow::Cow<'a, [u8]>,
    /// Plan offer the attribute names (cross-sell or upsell), if any.
    offer: Option<usize>,
    gift_variant: bool,
    vendor: Option<&'a [u8]>,
    product_type: Option<&'a [u8]>,
}

/// `shortId`: "gid://shopify/Product/123" → "123" (and anything from a `?` dropped): the
/// regular expression `^gid:\/\/shopify\/\w+\/|\?.*$` written out.
fn short_id(s: Str) -> std::borrow::Cow<[u8]> {
    let b = s.bytes();
    let mut start = 0;
    if b.len() > 14 && eq(&b[..14], b"gid://shopify/") {
        // The type name: Shopify's two first, then any word.
        let rest = &b[14..];
        let word = if rest.len() > 15 && eq(&rest[..15], b"ProductVariant/") {
            14
        } else if rest.len() > 8 && eq(&rest[..8], b"Product/") {
            7
        } else {
            rest.iter().take_while(|c| c.is_ascii_alphanumeric() || **c == b'_').count()
        };
        if word > 0 && b.get(14 + word) == Some(&b'/') {
            start = 15 + word;
        }
    }
    let mut end = b.len();
    for (k, &c) in b[start..].iter().enumerate() {
        if c == b'?' {
            end = start + k;
            break;
        }
    }
    match b {
        std::borrow::Cow::Borrowed(x) => std::borrow::Cow::Borrowed(&x[start..end]),
        std::borrow::Cow::Owned(x) => std::borrow::Cow::Owned(x[start..end].to_vec()),
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (month and day may overflow, as
/// Date.parse lets a day up to 31 roll into the next month).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

const HOUR: i64 = 3_600_000;
/// 2020-01-01T00:00:00Z: earlier dates are not real shop dates.
const EARLIEST_DATE: i64 = 1_577_836_800_000;

/// `planMoments`: the instants to evaluate at, given the shop's local date and the instants
/// left to its window.
fn moments(date: &[u8], instants: &Option<Vec<i64>>) -> Vec<i64> {
    let digit = |k: usize| date.get(k).map_or(false, |c| c.is_ascii_digit());
    if date.len() != 10 || date[4] != b'-' || date[7] != b'-' || ![0, 1, 2, 3, 5, 6, 8, 9].iter().all(|&k| digit(k)) {
        return Vec::new();
    }
    let num = |a: usize, b: usize| date[a..b].iter().fold(0i64, |v, c| v * 10 + (c - b'0') as i64);
    let (y, m, d) = (num(0, 4), num(5, 7), num(8, 10));
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return Vec::new();
    }
    let day = days_from_civil(y, m, d) * 24 * HOUR;
    if day <= EARLIEST_DATE {
        return Vec::new();
    }
    let from = day - 14 * HOUR;
    let to = day + 36 * HOUR;
    let list = match instants {
        None => return vec![from],
        Some(list) => list,
    };
    let mut out = vec![from, to - 1];
    for &t in list {
        if t > from && t < to && !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

pub struct Earned<'a> {
    /// Discounted lines in the order first discounted: (line index, amount, message).
    pub lines: Vec<(usize, i64, &'a [u8])>,
    pub free_shipping: Option<&'a [u8]>,
    pub currency: &'a [u8],
    pub line_ids: Vec<&'a [u8]>,
    pub quantities: Vec<i64>,
}

struct Eval<'p, 'a> {
    plan: &'p Plan<'a>,
    lines: Vec<CartLine<'a>>,
    same_currency: bool,
    rate: f64,
    digits_cart: i32,
    digits_shop: i32,
    count: i64,
    /// Per offer: its conditions hold (the same at every moment).
    holds: Vec<bool>,
    /// Per offer: (started, ended) as the input's schedule slots answer them, if slotted.
    answers: Vec<(Option<bool>, Option<bool>)>,
    /// Per offer with a trigger: the lines matching it (each once, in cart order).
    hits: Vec<Vec<usize>>,
    /// Per bundle offer and component: quantity in the cart, and its lines.
    component_qty: Vec<Vec<i64>>,
    component_lines: Vec<Vec<Vec<usize>>>,
    /// Per line: the best discount of the moment (amount, message), and the order given.
    best: Vec<(i64, &'a [u8])>,
    order: Vec<usize>,
}

impl<'p, 'a> Eval<'p, 'a> {
    /// `convertMinor` from the shop's currency to the cart's.
    fn convert(&self, amount: i64) -> i64 {
        if self.same_currency {
            return amount;
        }
        let v = (amount as f64 * self.rate * pow10(self.digits_cart - self.digits_shop) + 0.5).floor();
        v.max(0.0) as i64
    }

    /// `convertThreshold`, or the explicit threshold for the cart's currency.
    fn threshold(&self, g: &Goal, currency: &[u8]) -> i64 {
        if let Some(&(_, v)) = g.amounts.iter().find(|(c, _)| *c == currency) {
            return v;
        }
        let converted = self.convert(g.amount);
        if self.same_currency {
            return converted;
        }
        let unit = self.rate * pow10(self.digits_cart);
        let mut step = pow10(self.digits_cart);
        while step * 10.0 <= unit {
            step *= 10.0;
        }
        ((converted as f64 / step).ceil() * step) as i64
    }

    fn unit_off(&self, price: i64, d: Discount) -> i64 {
        match d {
            Discount::None => 0,
            Discount::Percent(p) => percent_of(price, p),
            Discount::Amount(a) => price.min(self.convert(a)),
        }
    }

    /// `orders`: None for a guest (unknown: an order-count condition fails).
    fn holds(&self, c: &Condition, subtotal: i64, authenticated: bool, orders: Option<i64>, country: Option<&[u8]>) -> bool {
        match c {
            Condition::All(list) => list.iter().all(|x| self.holds(x, subtotal, authenticated, orders, country)),
            Condition::Any(list) => list.is_empty() || list.iter().any(|x| self.holds(x, subtotal, authenticated, orders, country)),
            Condition::Number { fact, op, value } => {
                let (have, want) = match fact {
                    2 => (subtotal, self.convert(*value)),
                    3 => (self.count, *value),
                    _ => match orders {
                        Some(n) => (n, *value),
                        None => return false,
                    },
                };
                match op {
                    0 => have >= want,
                    1 => have <= want,
                    _ => have == want,
                }
            }
            Condition::LoggedIn(v) => authenticated == *v,
            Condition::Country { within, list } => match country {
                Some(c) if !c.is_empty() => list.iter().any(|x| eq(x, c)) == *within,
                _ => false,
            },
            Condition::Constant(v) => *v,
        }
    }

    fn give(&mut self, line: usize, amount: i64, message: &'a [u8]) {
        let l = &self.lines[line];
        let amount = amount.min(l.price * l.quantity);
        let had = &mut self.best[line];
        if had.0 == 0 {
            if amount > 0 {
                *had = (amount, message);
                self.order.push(line);
            }
        } else if amount > had.0 {
            *had = (amount, message);
        }
    }

    /// Live at `now`: a start or end with a slot as the input answers it, else at `now`.
    fn live(&self, o: usize, now: i64) -> bool {
        let offer = &self.plan.offers[o];
        let (started, ended) = self.answers[o];
        started.unwrap_or(now >= offer.start) && !ended.unwrap_or(now >= offer.end) && self.holds[o]
    }

    /// The discounts of one moment into `best`/`order`; whether free shipping is reached.
    fn moment(&mut self, now: i64, currency: &[u8]) -> bool {
        let plan = self.plan;
        for b in self.best.iter_mut() {
            *b = (0, b"");
        }
        self.order.clear();
        // Lines added through a discounted cross-sell or upsell.
        for i in 0..self.lines.len() {
            let o = match self.lines[i].offer {
                Some(o) => o,
                None => continue,
            };
            let offer = &plan.offers[o];
            let l = &self.lines[i];
            let earned = if offer.kind == 0 {
                offer.products.iter().any(|p| eq(p, &l.product)) && (!offer.has_trigger || !self.hits[o].is_empty())
            } else {
                offer.variants.iter().any(|v| eq(v, &l.variant))
            };
            if earned && self.live(o, now) {
                let amount = self.unit_off(l.price, offer.discount) * l.quantity;
                self.give(i, amount, offer.message);
            }
        }
        // Bundles and quantity breaks, in the engine's order.
        for o in 0..plan.offers.len() {
            let offer = &plan.offers[o];
            if offer.kind == 2 {
                let mut sets = i64::MAX;
                for (j, &q) in offer.components.iter().enumerate() {
                    sets = sets.min(self.component_qty[o][j] / q);
                }
                if sets == 0 || sets == i64::MAX || !self.live(o, now) {
                    continue;
                }
                for (j, &q) in offer.components.iter().enumerate() {
                    let mut units = q * sets;
                    for k in 0..self.component_lines[o][j].len() {
                        let i = self.component_lines[o][j][k];
                        let take = units.min(self.lines[i].quantity);
                        units -= take;
                        let amount = self.unit_off(self.lines[i].price, offer.discount) * take;
                        self.give(i, amount, offer.message);
                    }
                }
            } else if offer.kind == 3 {
                let qty = if offer.has_trigger { self.hits[o].iter().map(|&i| self.lines[i].quantity).sum() } else { self.count };
                let tier = offer.tiers.iter().rev().find(|t| t.0 <= qty);
                let d = match tier {
                    Some(t) => t.1,
                    None => continue,
                };
                if !self.live(o, now) {
                    continue;
                }
                let n = if offer.has_trigger { self.hits[o].len() } else { self.lines.len() };
                for k in 0..n {
                    let i = if offer.has_trigger { self.hits[o][k] } else { k };
                    let l = &self.lines[i];
                    let amount = self.unit_off(l.price, d) * l.quantity;
                    self.give(i, amount, offer.message);
                }
            }
        }
        // Reward tiers, on the cart after these discounts, without gift units.
        let mut base = 0;
        for (i, l) in self.lines.iter().enumerate() {
            let left = l.price * l.quantity - self.best[i].0;
            base += left - if l.gift_variant { l.price.min(left) } else { 0 };
        }
        for g in plan.gifts.iter() {
            if base >= self.threshold(g, currency) {
                if let Some(i) = self.lines.iter().position(|l| eq(&l.variant, &g.gift)) {
                    let price = self.lines[i].price;
                    self.give(i, price, g.message);
                }
            }
        }
        // Free shipping, on what is paid: the cart after every discount, gifts included.
        match plan.free_shipping.as_ref() {
            Some(g) => {
                let mut paid = 0;
                for (i, l) in self.lines.iter().enumerate() {
                    paid += l.price * l.quantity - self.best[i].0;
                }
                paid >= self.threshold(g, currency)
            }
            None => false,
        }
    }
}

/// The merged discounts of the input under its plan, or None when nothing may be applied.
pub fn earned<'a>(input: &'a Input<'a>) -> Option<Earned<'a>> {
    let plan = input.plan.as_ref()?;
    let currency = input.currency?;
    let digits_cart = minor_digits(currency);
    let factor = pow10(digits_cart);
    let mut lines: Vec<CartLine<'a>> = Vec::with_capacity(input.lines.len());
    for l in input.lines.iter() {
        let (variant, product) = match (l.variant, l.product) {
            (Some(v), Some(p)) => (v, p),
            _ => continue, // a custom product: not part of any offer
        };
        let price = match exact_minor(l.amount, digits_cart) {
            Some(minor) => minor as f64,
            None => js_round(crate::json::js_number(&crate::json::decode_raw(l.amount)) * factor),
        };
        if !(price >= 0.0) || price > MAX_SAFE as f64 {
            return None;
        }
        let offer = l.offer.as_ref().filter(|o| !o.is_empty()).and_then(|o| plan.ids.get(o).first().map(|&k| k as usize));
        let variant = l.variant_id.map_or_else(|| short_id(variant), std::borrow::Cow::Borrowed);
        let gift_variant = plan.gifts.iter().any(|g| eq(&g.gift, &variant));
        lines.push(CartLine {
            id: l.id,
            quantity: l.quantity,
            price: price as i64,
            product: l.product_id.map_or_else(|| short_id(product), std::borrow::Cow::Borrowed),
            variant,
            offer,
            gift_variant,
            vendor: l.vendor.as_deref(),
            product_type: l.product_type.as_deref(),
        });
    }
    if lines.is_empty() {
        return None;
    }
    // The engine's cart and context checks (schema.ts): anything else fails closed.
    if currency.len() != 3 || !currency.iter().all(|c| c.is_ascii_uppercase()) {
        return None;
    }
    let mut seen = IdSet::new(lines.len());
    for l in lines.iter() {
        if l.id.is_empty() || !seen.insert(l.id) || l.product.is_empty() || l.variant.is_empty() || l.quantity <= 0 {
            return None;
        }
    }
    // A logged-in buyer's order count (0 if Shopify gives none); a guest's is unknown.
    let orders = match (input.authenticated, input.orders) {
        (true, Some(n)) if n < 0 => return None,
        (true, Some(n)) => Some(n),
        (true, None) => Some(0),
        _ => None,
    };
    let same_currency = plan.currency == currency;
    let rate = if same_currency {
        1.0
    } else if input.rate > 0.0 && input.rate.is_finite() {
        input.rate
    } else {
        return None; // MISSING_RATE
    };
    let times = moments(input.date, &plan.window);
    if times.is_empty() {
        return None;
    }
    // Every slot must be answered (else the query and the plan disagree: fail closed).
    if input.after[..plan.slots.len()].iter().any(|a| a.is_none()) {
        return None;
    }
    let answer = |t: i64| plan.slots.iter().position(|&s| s == t).and_then(|k| input.after[k]);
    let answers: Vec<(Option<bool>, Option<bool>)> = plan.offers.iter().map(|o| (answer(o.start), answer(o.end))).collect();

    let n = plan.offers.len();
    let mut e = Eval {
        plan,
        lines,
        same_currency,
        rate,
        digits_cart,
        digits_shop: minor_digits(plan.currency),
        count: 0,
        holds: vec![true; n],
        answers,
        hits: vec![Vec::new(); n],
        component_qty: plan.offers.iter().map(|o| vec![0; o.components.len()]).collect(),
        component_lines: plan.offers.iter().map(|o| vec![Vec::new(); o.components.len()]).collect(),
        best: Vec::new(),
        order: Vec::new(),
    };
    let mut subtotal = 0;
    for i in 0..e.lines.len() {
        let l = &e.lines[i];
        subtotal += l.price * l.quantity;
        e.count += l.quantity;
        for &(o, j) in plan.bundles.get(&l.product) {
            e.component_qty[o as usize][j as usize] += l.quantity;
            e.component_lines[o as usize][j as usize].push(i);
        }
        // Triggers: each line once per offer; a cross-sell's own products never trigger it.
        let keys: [Option<&[u8]>; 4] = [Some(&l.product[..]), Some(&l.variant[..]), l.vendor, l.product_type];
        for (f, key) in keys.iter().enumerate() {
            let key = match key {
                Some(key) if !key.is_empty() => key,
                _ => continue,
            };
            for &o in plan.triggers[f].get(key) {
                let o = o as usize;
                let offer = &plan.offers[o];
                if offer.kind == 0 && offer.products.iter().any(|p| eq(p, &l.product)) {
                    continue;
                }
                if e.hits[o].last() != Some(&i) {
                    e.hits[o].push(i);
                }
            }
        }
    }
    let country = input.country.as_deref();
    for o in 0..n {
        if let Some(c) = plan.offers[o].condition.as_ref() {
            e.holds[o] = e.holds(c, subtotal, input.authenticated, orders, country);
        }
    }

    // Every moment; per line the largest discount (ties: the earliest moment).
    e.best = vec![(0, &b""[..]); e.lines.len()];
    let mut merged: Vec<(usize, i64, &'a [u8])> = Vec::new();
    let mut at: Vec<usize> = vec![usize::MAX; e.lines.len()];
    let mut free = false;
    // Offers with a schedule: a moment whose live set repeats an earlier moment's gives the
    // same discounts, which change nothing once merged (ties keep the earlier): skipped.
    let scheduled: Vec<usize> = (0..n).filter(|&o| plan.offers[o].start != i64::MIN || plan.offers[o].end != i64::MAX).collect();
    let mut seen_sets: Vec<Vec<bool>> = Vec::new();
    for &now in times.iter() {
        let set: Vec<bool> = scheduled
            .iter()
            .map(|&o| {
                let (started, ended) = e.answers[o];
                started.unwrap_or(now >= plan.offers[o].start) && !ended.unwrap_or(now >= plan.offers[o].end)
            })
            .collect();
        if seen_sets.contains(&set) {
            continue;
        }
        seen_sets.push(set);
        free |= e.moment(now, currency);
        for &i in e.order.iter() {
            let (amount, message) = e.best[i];
            if at[i] == usize::MAX {
                at[i] = merged.len();
                merged.push((i, amount, message));
            } else if amount > merged[at[i]].1 {
                merged[at[i]] = (i, amount, message);
            }
        }
    }
    Some(Earned {
        lines: merged,
        free_shipping: if free { plan.free_shipping.as_ref().map(|g| g.message) } else { None },
        currency,
        line_ids: e.lines.iter().map(|l| l.id).collect(),
        quantities: e.lines.iter().map(|l| l.quantity).collect(),
    })
}

/// The line ids seen so far (hashed: a 200-line cart must not compare every pair).
struct IdSet<'a> {
    slots: Vec<Option<&'a [u8]>>,
}

impl<'a> IdSet<'a> {
    fn new(n: usize) -> Self {
        let mut size = 16;
        while size < n * 2 {
            size *= 2;
        }
        IdSet { slots: vec![None; size] }
    }

    /// Adds `id`; false if it was there already.
    fn insert(&mut self, id: &'a [u8]) -> bool {
        let mask = self.slots.len() - 1;
        let mut s = crate::plan::hash(id) as usize & mask;
        loop {
            match self.slots[s] {
                None => {
                    self.slots[s] = Some(id);
                    return true;
                }
                Some(x) if eq(x, id) => return false,
                Some(_) => s = (s + 1) & mask,
            }
        }
    }
}
