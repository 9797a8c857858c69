//! The targets' results, written as the Discount Function API's JSON (2026-07 schema:
//! `CartLinesDiscountsGenerateRunResult`, `CartDeliveryOptionsDiscountsGenerateRunResult`).

use crate::discounts::Earned;

pub const NOTHING: &[u8] = b"{\"operations\":[]}";

/// `1250`, 2 digits → "12.50"; `879`, 0 → "879" (app/engine/wire.ts `minorToDecimal`).
fn decimal(out: &mut Vec<u8>, amount: i64, digits: i32) {
    let digits = digits.max(0) as usize;
    let mut text = [0u8; 24];
    let mut n = 0;
    let mut v = amount.unsigned_abs();
    // Digits from the right, at least one before the point.
    while v > 0 || n <= digits {
        text[n] = b'0' + (v % 10) as u8;
        v /= 10;
        n += 1;
    }
    if amount < 0 {
        out.push(b'-');
    }
    for k in (0..n).rev() {
        out.push(text[k]);
        if k == digits && digits > 0 {
            out.push(b'.');
        }
    }
}

/// What the lines target may write: below Shopify's 20,000-byte output limit (over it,
/// Shopify drops the whole result), with room to spare.
pub const OUTPUT_BUDGET: usize = 19_500;

/// One product-discount operation, every candidate applied, never over OUTPUT_BUDGET:
/// 1. exact per line: a candidate's fixed amount is its line's whole discount, except that
///    single-unit lines earning the same amount under the same message share one candidate,
///    the amount applying to each of their items;
/// 2. if that is too long (up to 200 lines each earning a different amount), one candidate
///    per message, its fixed amount (the sum of its lines' discounts) applied once across
///    its lines: every total exact, Shopify spreading it over the lines;
/// 3. then one candidate for everything, without a message (Shopify shows the discount's
///    title);
/// 4. then (only with line ids far longer than Shopify's) the lines earning most, as many as
///    fit, with the sum of their discounts.
pub fn product_discounts(e: &Earned) -> Vec<u8> {
    if e.lines.is_empty() {
        return NOTHING.to_vec();
    }
    let exact = exact_candidates(e);
    if exact.len() <= OUTPUT_BUDGET {
        return exact;
    }
    // Per message, in the order first earned.
    let mut groups: Vec<(&[u8], Vec<usize>, i64)> = Vec::new();
    for &(i, amount, message) in e.lines.iter() {
        match groups.iter_mut().find(|g| g.0 == message) {
            Some(g) => {
                g.1.push(i);
                g.2 += amount;
            }
            None => groups.push((message, vec![i], amount)),
        }
    }
    let digits = crate::discounts::minor_digits(e.currency);
    let merged = write(groups.iter().map(|(m, t, a)| (Some(*m), &t[..], *a, false)), e, digits);
    if merged.len() <= OUTPUT_BUDGET {
        return merged;
    }
    let all: Vec<usize> = e.lines.iter().map(|l| l.0).collect();
    let total: i64 = e.lines.iter().map(|l| l.1).sum();
    let single = write(std::iter::once((None, &all[..], total, false)), e, digits);
    if single.len() <= OUTPUT_BUDGET {
        return single;
    }
    // Largest discounts first (ties: cart order), as many as fit.
    let mut order: Vec<(usize, i64)> = e.lines.iter().map(|l| (l.0, l.1)).collect();
    order.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut size = single.len();
    while size > OUTPUT_BUDGET && order.len() > 1 {
        let (i, _) = order.pop().unwrap();
        size -= TARGET_BYTES + e.line_ids[i].len() + 1;
    }
    let kept: Vec<usize> = order.iter().map(|l| l.0).collect();
    let sum: i64 = order.iter().map(|l| l.1).sum();
    let trimmed = write(std::iter::once((None, &kept[..], sum, false)), e, digits);
    if trimmed.len() <= OUTPUT_BUDGET {
        trimmed
    } else {
        NOTHING.to_vec()
    }
}

/// `{"cartLine":{"id":""}}`: a target's bytes besides its id.
const TARGET_BYTES: usize = 22;

/// The operation with these candidates: (message, line indexes, amount, applies to each item).
fn write<'a>(candidates: impl Iterator<Item = (Option<&'a [u8]>, &'a [usize], i64, bool)>, e: &Earned, digits: i32) -> Vec<u8> {
    let mut out = Vec::with_capacity(4096);
    out.extend_from_slice(b"{\"operations\":[{\"productDiscountsAdd\":{\"candidates\":[");
    for (n, (message, targets, amount, each)) in candidates.enumerate() {
        if n > 0 {
            out.push(b',');
        }
        out.push(b'{');
        if let Some(m) = message {
            out.extend_from_slice(b"\"message\":\"");
            out.extend_from_slice(m);
            out.extend_from_slice(b"\",");
        }
        out.extend_from_slice(b"\"targets\":[");
        for (k, &i) in targets.iter().enumerate() {
            if k > 0 {
                out.push(b',');
            }
            out.extend_from_slice(b"{\"cartLine\":{\"id\":\"");
            out.extend_from_slice(e.line_ids[i]);
            out.extend_from_slice(b"\"}}");
        }
        out.extend_from_slice(b"],\"value\":{\"fixedAmount\":{\"amount\":\"");
        decimal(&mut out, amount, digits);
        out.extend_from_slice(if each { b"\",\"appliesToEachItem\":true}}}" as &[u8] } else { b"\"}}}" });
    }
    out.extend_from_slice(b"],\"selectionStrategy\":\"ALL\"}}]}");
    out
}

/// Level 1: exact per line.
fn exact_candidates(e: &Earned) -> Vec<u8> {
    // Candidates: (amount, message, line indexes, shareable).
    let mut candidates: Vec<(i64, &[u8], Vec<usize>, bool)> = Vec::with_capacity(e.lines.len());
    for &(i, amount, message) in e.lines.iter() {
        let single = e.quantities[i] == 1;
        if single {
            if let Some(c) = candidates.iter_mut().find(|c| c.3 && c.0 == amount && c.1 == message) {
                c.2.push(i);
                continue;
            }
        }
        candidates.push((amount, message, vec![i], single));
    }
    let digits = crate::discounts::minor_digits(e.currency);
    write(candidates.iter().map(|(amount, message, targets, _)| (Some(*message), &targets[..], *amount, targets.len() > 1)), e, digits)
}

/// Free shipping (100% off every delivery group) when the goal is reached.
pub fn delivery_discounts(e: &Earned, groups: &[&[u8]]) -> Vec<u8> {
    let message = match e.free_shipping {
        Some(m) if !groups.is_empty() => m,
        _ => return NOTHING.to_vec(),
    };
    let mut out = Vec::with_capacity(160 + groups.len() * 64);
    out.extend_from_slice(b"{\"operations\":[{\"deliveryDiscountsAdd\":{\"candidates\":[{\"message\":\"");
    out.extend_from_slice(message);
    out.extend_from_slice(b"\",\"targets\":[");
    for (k, id) in groups.iter().enumerate() {
        if k > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"deliveryGroup\":{\"id\":\"");
        out.extend_from_slice(id);
        out.extend_from_slice(b"\"}}");
    }
    out.extend_from_slice(b"],\"value\":{\"percentage\":{\"value\":\"100.0\"}}}],\"selectionStrategy\":\"ALL\"}}]}");
    out
}
