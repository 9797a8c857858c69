//! The function's input, read in one pass in the shape of its input queries
//! (src/*.graphql, with their short aliases). Lines keep slices of the input; prices are
//! read once the cart's currency is known (it comes after the lines).

use crate::json::{js_number, key, Bytes, Reader, Str, LONG, R};
use crate::plan::{self, Plan};

const K_C: u64 = key(b"c");
const K_CART: u64 = key(b"cart");
const K_COST: u64 = key(b"cost");
const K_CUSTOMER: u64 = key(b"customer");
const K_DATE: u64 = key(b"date");
const K_DISCOUNT: u64 = key(b"discount");
const K_ID: u64 = key(b"id");
const K_LINES: u64 = key(b"lines");
const K_M: u64 = key(b"m");
const K_O: u64 = key(b"o");
const K_P: u64 = key(b"p");
const K_Q: u64 = key(b"q");
const K_SHOP: u64 = key(b"shop");
const K_T: u64 = key(b"t");
const K_V: u64 = key(b"v");

pub struct Line<'a> {
    /// The line id as written (JSON-escaped), for the output.
    pub id: &'a [u8],
    pub quantity: i64,
    pub amount: &'a [u8],
    /// The `_cartlift_offer` attribute's value.
    pub offer: Option<Bytes<'a>>,
    /// Product variants only: a custom product has none.
    pub variant: Option<Str<'a>>,
    pub product: Option<Str<'a>>,
    /// The variant's and product's short ids, when the reader could take them as it went.
    pub variant_id: Option<&'a [u8]>,
    pub product_id: Option<&'a [u8]>,
    pub vendor: Option<Bytes<'a>>,
    pub product_type: Option<Bytes<'a>>,
}

pub struct Input<'a> {
    pub lines: Vec<Line<'a>>,
    pub currency: Option<&'a [u8]>,
    pub authenticated: bool,
    pub orders: Option<i64>,
    pub delivery_groups: Vec<&'a [u8]>,
    pub product_class: bool,
    pub shipping_class: bool,
    /// None: no metafield (or a null value).
    pub plan: Option<Plan<'a>>,
    pub country: Option<Bytes<'a>>,
    pub rate: f64,
    pub date: &'a [u8],
    /// `shop.localTime.a{k}`: whether now is at or past schedule slot k (None: not given).
    pub after: [Option<bool>; crate::plan::SCHEDULE_SLOTS],
}

/// A line written exactly as Shopify writes the query's result (fields in query order, no
/// whitespace): read by matching the fixed text between the values, with no key lookups.
/// None when the line is written any other way (the caller then reads it field by field).
fn line_as_written<'a>(r: &mut Reader<'a>) -> Option<Line<'a>> {
    let mut l = Line { id: b"", quantity: 0, amount: b"", offer: None, variant: None, product: None, variant_id: None, product_id: None, vendor: None, product_type: None };
    let need = |ok: bool| if ok { Some(()) } else { None };
    need(r.lit(b"{\"id\":"))?;
    l.id = match r.prefixed(b"gid://shopify/CartLine/") {
        Some((s, _)) => s.raw,
        None => r.string().ok()?.raw,
    };
    need(r.lit(b",\"q\":"))?;
    l.quantity = r.int().ok()?;
    need(r.lit(b",\"c\":{\"u\":{\"a\":"))?;
    l.amount = r.string().ok()?.raw;
    need(r.lit(b"}},\"o\":"))?;
    if !r.lit(b"null") {
        need(r.lit(b"{\"v\":"))?;
        l.offer = r.opt_string().ok()?.map(|s| s.bytes());
        need(r.lit(b"}"))?;
    }
    need(r.lit(b",\"m\":"))?;
    if !r.lit(b"{}") {
        need(r.lit(b"{\"id\":"))?;
        match r.prefixed(b"gid://shopify/ProductVariant/") {
            Some((s, short)) => {
                l.variant = Some(s);
                l.variant_id = short;
            }
            None => l.variant = Some(r.string().ok()?),
        }
        need(r.lit(b",\"p\":{\"id\":"))?;
        match r.prefixed(b"gid://shopify/Product/") {
            Some((s, short)) => {
                l.product = Some(s);
                l.product_id = short;
            }
            None => l.product = Some(r.string().ok()?),
        }
        need(r.lit(b",\"v\":"))?;
        l.vendor = r.opt_string().ok()?.map(|s| s.bytes());
        need(r.lit(b",\"t\":"))?;
        l.product_type = r.opt_string().ok()?.map(|s| s.bytes());
        need(r.lit(b"}}"))?;
    }
    need(r.lit(b"}"))?;
    Some(l)
}

fn line<'a>(r: &mut Reader<'a>) -> R<Line<'a>> {
    r.peek();
    let at = r.at();
    if let Some(l) = line_as_written(r) {
        return Ok(l);
    }
    r.rewind(at);
    let mut l = Line { id: b"", quantity: 0, amount: b"", offer: None, variant: None, product: None, variant_id: None, product_id: None, vendor: None, product_type: None };
    r.object(|r, _, key| {
        match key {
            K_ID => l.id = r.string()?.raw,
            K_Q => l.quantity = r.int()?,
            K_C => r.object(|r, _, _| r.object(|r, _, _| {
                l.amount = r.string()?.raw;
                Ok(())
            }))?,
            K_O => {
                if !r.null()? {
                    r.object(|r, _, _| {
                        l.offer = r.opt_string()?.map(|s| s.bytes());
                        Ok(())
                    })?
                }
            }
            K_M => r.object(|r, _, key| {
                match key {
                    K_ID => l.variant = Some(r.string()?),
                    K_P => r.object(|r, _, key| {
                        match key {
                            K_ID => l.product = Some(r.string()?),
                            K_V => l.vendor = r.opt_string()?.map(|s| s.bytes()),
                            K_T => l.product_type = r.opt_string()?.map(|s| s.bytes()),
                            _ => r.skip()?,
                        }
                        Ok(())
                    })?,
                    _ => r.skip()?,
                }
                Ok(())
            })?,
            _ => r.skip()?,
        }
        Ok(())
    })?;
    Ok(l)
}

/// Reads the whole input; any malformed part is an error (no discount).
pub fn read(bytes: &[u8]) -> R<Input<'_>> {
    let mut r = Reader::new(bytes);
    let mut input = Input {
        lines: Vec::with_capacity(64),
        currency: None,
        authenticated: false,
        orders: None,
        delivery_groups: Vec::new(),
        product_class: false,
        shipping_class: false,
        plan: None,
        country: None,
        rate: f64::NAN,
        date: b"",
        after: [None; crate::plan::SCHEDULE_SLOTS],
    };
    let i = &mut input;
    r.object(|r, raw, key| {
        match key {
            K_CART => r.object(|r, raw, key| {
                match key {
                    K_LINES => r.array(|r| {
                        i.lines.push(line(r)?);
                        Ok(())
                    })?,
                    K_COST => r.object(|r, _, _| r.object(|r, raw, _| {
                        if raw == b"currencyCode" {
                            i.currency = Some(r.string()?.raw);
                            Ok(())
                        } else {
                            r.skip()
                        }
                    }))?,
                    LONG if raw == b"buyerIdentity" => {
                        if !r.null()? {
                            r.object(|r, raw, key| {
                                match key {
                                    LONG if raw == b"isAuthenticated" => i.authenticated = r.boolean()?,
                                    K_CUSTOMER => {
                                        if !r.null()? {
                                            r.object(|r, _, _| {
                                                i.orders = Some(r.int()?);
                                                Ok(())
                                            })?
                                        }
                                    }
                                    _ => r.skip()?,
                                }
                                Ok(())
                            })?
                        }
                    }
                    LONG if raw == b"deliveryGroups" => r.array(|r| {
                        r.object(|r, _, _| {
                            i.delivery_groups.push(r.string()?.raw);
                            Ok(())
                        })
                    })?,
                    _ => r.skip()?,
                }
                Ok(())
            })?,
            K_DISCOUNT => r.object(|r, raw, key| {
                match key {
                    LONG if raw == b"discountClasses" => r.array(|r| {
                        match r.string()?.raw {
                            b"PRODUCT" => i.product_class = true,
                            b"SHIPPING" => i.shipping_class = true,
                            _ => {}
                        }
                        Ok(())
                    })?,
                    LONG if raw == b"metafield" => {
                        if !r.null()? {
                            r.object(|r, _, _| {
                                // A value that is not a current plan: no discount.
                                if !r.null()? {
                                    i.plan = Some(plan::read(r)?);
                                }
                                Ok(())
                            })?
                        }
                    }
                    _ => r.skip()?,
                }
                Ok(())
            })?,
            LONG if raw == b"localization" => r.object(|r, _, _| {
                r.object(|r, _, _| {
                    i.country = r.opt_string()?.map(|s| s.bytes());
                    Ok(())
                })
            })?,
            LONG if raw == b"presentmentCurrencyRate" => i.rate = js_number(&r.string()?.bytes()),
            K_SHOP => r.object(|r, _, _| {
                r.object(|r, raw, key| {
                    match key {
                        K_DATE => i.date = r.string()?.raw,
                        // `a0`…`a5`: the schedule slots' answers.
                        _ if raw.len() == 2 && raw[0] == b'a' && raw[1].is_ascii_digit() && ((raw[1] - b'0') as usize) < crate::plan::SCHEDULE_SLOTS => {
                            i.after[(raw[1] - b'0') as usize] = Some(r.boolean()?)
                        }
                        _ => r.skip()?,
                    }
                    Ok(())
                })
            })?,
            _ => r.skip()?,
        }
        Ok(())
    })?;
    if !r.at_end() {
        return Err(());
    }
    Ok(input)
}
