// The local theme's behaviour, modelled on Dawn: an Ajax product form, a cart drawer
// refreshed through the Section Rendering API, cart quantity controls, and Dawn's pub/sub
// (`cart-update`). Like a theme that supports Shopify's standard storefront events and
// actions, it dispatches `shopify:cart:lines-update` and configures `Shopify.actions`
// (`getCart`, `openCart`, `updateCart`), so apps can change the cart without knowing the
// theme.

// ---- Dawn's pub/sub ---------------------------------------------------------------------
const PUB_SUB_EVENTS = { cartUpdate: 'cart-update', quantityUpdate: 'quantity-update', variantChange: 'variant-change', cartError: 'cart-error' };
window.PUB_SUB_EVENTS = PUB_SUB_EVENTS;
let subscribers = {};
function subscribe(eventName, callback) {
  (subscribers[eventName] ||= []).push(callback);
  return () => { subscribers[eventName] = subscribers[eventName].filter((cb) => cb !== callback); };
}
function publish(eventName, data) {
  (subscribers[eventName] || []).forEach((cb) => cb(data));
  return Promise.resolve();
}
window.subscribe = subscribe;
window.publish = publish;

const CART_SECTIONS = () => {
  const ids = ['cart-drawer', 'cart-icon-bubble'];
  if (document.getElementById('main-cart-items')) ids.push('main-cart-items', 'main-cart-footer');
  return ids;
};

function fetchConfig(type = 'json') {
  return { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: `application/${type}` } };
}

/** Dispatches the standard event from `target`; `promise` resolves with { cart }. */
function dispatchLinesUpdate(target, action, context, lines, promise) {
  const event = new Event('shopify:cart:lines-update', { bubbles: true });
  Object.assign(event, { action, context, lines, promise });
  (target || document).dispatchEvent(event);
}

const toGid = (id) => `gid://shopify/ProductVariant/${id}`;
const fromGid = (gid) => String(gid).split('/').pop();

/** Replaces the cart sections on the page with freshly rendered ones. */
function renderCartSections(sections) {
  if (!sections) return;
  const parse = (html, selector) => new DOMParser().parseFromString(html, 'text/html').querySelector(selector);
  if (sections['cart-icon-bubble']) {
    const bubble = parse(sections['cart-icon-bubble'], '.shopify-section');
    const wrapper = document.getElementById('cart-icon-bubble-wrapper');
    if (bubble && wrapper) wrapper.innerHTML = bubble.innerHTML;
  }
  const drawer = document.querySelector('cart-drawer');
  if (drawer && sections['cart-drawer']) drawer.renderContents({ sections });
  for (const id of ['main-cart-items', 'main-cart-footer']) {
    const el = document.getElementById(`shopify-section-${id}`);
    if (el && sections[id]) {
      const fresh = parse(sections[id], `#shopify-section-${id}`);
      if (fresh) el.innerHTML = fresh.innerHTML;
    }
  }
}

async function cartRequest(url, body) {
  const response = await fetch(url, { ...fetchConfig(), body: JSON.stringify(body) });
  const json = await response.json();
  if (!response.ok) throw Object.assign(new Error(json.description || json.message), { json });
  return json;
}

// ---- standard storefront actions ---------------------------------------------------------
window.Shopify = window.Shopify || {};
const configured = (fn) => Object.assign(fn, { isDefault: () => false });
Shopify.actions = {
  getCart: configured(async () => ({ cart: await (await fetch(`${routes.cart_url}.js`)).json() })),
  openCart: configured(async () => {
    const drawer = document.querySelector('cart-drawer');
    if (drawer && !document.getElementById('main-cart-items')) drawer.open();
    else window.location.href = routes.cart_url;
  }),
  /** lines: [{ merchandiseId, quantity, attributes }] adds, [{ id, quantity }] updates (id: line key). */
  updateCart: configured(async (payload = {}, options = {}) => {
    const lines = payload.lines || [];
    const adds = lines.filter((l) => l.merchandiseId && !l.id);
    const updates = lines.filter((l) => l.id);
    const action = adds.length ? 'add' : updates.every((l) => l.quantity === 0) ? 'remove' : 'update';
    const run = (async () => {
      const sections = CART_SECTIONS();
      let rendered;
      const userErrors = [];
      try {
        if (updates.length) {
          const res = await cartRequest(`${routes.cart_update_url}.js`, { updates: Object.fromEntries(updates.map((l) => [l.id, l.quantity])), sections, sections_url: window.location.pathname });
          rendered = res.sections;
        }
        if (adds.length) {
          const items = adds.map((l) => ({ id: Number(fromGid(l.merchandiseId)), quantity: l.quantity || 1, properties: Object.fromEntries((l.attributes || []).map((a) => [a.key, a.value])) }));
          const res = await cartRequest(`${routes.cart_add_url}.js`, { items, sections, sections_url: window.location.pathname });
          rendered = res.sections;
        }
      } catch (error) {
        userErrors.push({ message: error.message });
      }
      renderCartSections(rendered);
      const cart = await (await fetch(`${routes.cart_url}.js`)).json();
      publish(PUB_SUB_EVENTS.cartUpdate, { source: 'standard-action', cartData: cart });
      return { cart, userErrors };
    })();
    dispatchLinesUpdate(document, action, options.context || 'standard-action', lines, run);
    return run;
  }),
};

// ---- product form --------------------------------------------------------------------------
class ProductForm extends HTMLElement {
  connectedCallback() {
    this.form = this.querySelector('form');
    this.submitButton = this.querySelector('[type="submit"]');
    this.errorWrapper = this.querySelector('.product-form__error-message-wrapper');
    this.form.addEventListener('submit', (e) => this.onSubmit(e));
  }
  onSubmit(event) {
    event.preventDefault();
    if (this.submitButton.getAttribute('aria-disabled') === 'true') return;
    this.submitButton.setAttribute('aria-disabled', 'true');
    this.submitButton.classList.add('loading');
    this.errorWrapper.hidden = true;
    const formData = new FormData(this.form);
    const quantityInput = document.getElementById(`Quantity-${this.dataset.sectionId}`);
    const quantity = Number(quantityInput ? quantityInput.value : 1) || 1;
    const variantId = formData.get('id');
    const run = (async () => {
      const response = await fetch(`${routes.cart_add_url}.js`, {
        ...fetchConfig('javascript'),
        body: JSON.stringify({ items: [{ id: Number(variantId), quantity }], sections: CART_SECTIONS(), sections_url: window.location.pathname }),
      });
      const json = await response.json();
      if (json.status) {
        publish(PUB_SUB_EVENTS.cartError, { source: 'product-form', productVariantId: variantId, errors: json.description });
        this.errorWrapper.textContent = json.description;
        this.errorWrapper.hidden = false;
        const cart = await (await fetch(`${routes.cart_url}.js`)).json();
        return { cart, userErrors: [{ message: json.description }] };
      }
      publish(PUB_SUB_EVENTS.cartUpdate, { source: 'product-form', productVariantId: variantId, cartData: json });
      renderCartSections(json.sections);
      const drawer = document.querySelector('cart-drawer');
      if (drawer) drawer.open(this.submitButton);
      const cart = await (await fetch(`${routes.cart_url}.js`)).json();
      return { cart, userErrors: [] };
    })().finally(() => {
      this.submitButton.classList.remove('loading');
      this.submitButton.removeAttribute('aria-disabled');
    });
    dispatchLinesUpdate(this, 'add', 'product', [{ merchandiseId: toGid(variantId), quantity }], run);
  }
}
customElements.define('product-form', ProductForm);

class VariantPicker extends HTMLElement {
  connectedCallback() {
    this.addEventListener('change', (event) => {
      const input = event.target;
      const section = this.dataset.section;
      const idInput = document.querySelector(`#product-form-${section} [name="id"]`);
      idInput.value = input.value;
      idInput.dispatchEvent(new Event('change', { bubbles: true }));
      const price = document.querySelector(`#price-${section} .price-item`);
      if (price) price.textContent = input.dataset.price;
      const button = document.getElementById(`ProductSubmitButton-${section}`);
      if (button) button.disabled = input.dataset.available !== 'true';
      history.replaceState({}, '', `${this.dataset.url}?variant=${input.value}`);
      publish(PUB_SUB_EVENTS.variantChange, { data: { sectionId: section, variant: { id: Number(input.value) } } });
    });
  }
}
customElements.define('variant-picker', VariantPicker);

class QuantityInput extends HTMLElement {
  connectedCallback() {
    this.input = this.querySelector('input');
    this.querySelectorAll('button').forEach((b) => b.addEventListener('click', (e) => {
      e.preventDefault();
      const before = this.input.value;
      if (b.name === 'plus') this.input.stepUp(); else this.input.stepDown();
      if (before !== this.input.value) this.input.dispatchEvent(new Event('change', { bubbles: true }));
    }));
  }
}
customElements.define('quantity-input', QuantityInput);

// ---- cart page and drawer lines ---------------------------------------------------------------
class CartItems extends HTMLElement {
  connectedCallback() {
    this.addEventListener('change', (event) => {
      const input = event.target.closest('.quantity__input');
      if (input) this.updateQuantity(Number(input.dataset.index), Number(input.value));
    });
  }
  updateQuantity(line, quantity) {
    const row = this.querySelectorAll('.cart-item')[line - 1];
    const key = row && row.dataset.key;
    const run = (async () => {
      const json = await cartRequest(`${routes.cart_change_url}.js`, { line, quantity, sections: CART_SECTIONS(), sections_url: window.location.pathname }).catch((e) => e.json || {});
      renderCartSections(json.sections);
      const cart = await (await fetch(`${routes.cart_url}.js`)).json();
      publish(PUB_SUB_EVENTS.cartUpdate, { source: 'cart-items', cartData: cart });
      return { cart, userErrors: json.status ? [{ message: json.description }] : [] };
    })();
    dispatchLinesUpdate(this, quantity === 0 ? 'remove' : 'update', 'cart', [{ id: key, quantity }], run);
  }
}
customElements.define('cart-items', CartItems);
customElements.define('cart-drawer-items', class extends CartItems {});

class CartRemoveButton extends HTMLElement {
  connectedCallback() {
    this.addEventListener('click', (event) => {
      event.preventDefault();
      this.closest('cart-items, cart-drawer-items').updateQuantity(Number(this.dataset.index), 0);
    });
  }
}
customElements.define('cart-remove-button', CartRemoveButton);

class CartDrawer extends HTMLElement {
  connectedCallback() {
    this.addEventListener('keyup', (e) => e.code === 'Escape' && this.close());
    this.addEventListener('click', (e) => {
      if (e.target.closest('#CartDrawer-Overlay') || e.target.closest('.drawer__close')) this.close();
    });
    document.addEventListener('click', (e) => {
      const icon = e.target.closest('#cart-icon-bubble');
      if (icon && !document.getElementById('main-cart-items')) {
        e.preventDefault();
        this.open(icon);
      }
    });
  }
  open(opener) {
    if (opener) this.activeElement = opener;
    this.classList.add('active');
    document.body.classList.add('overflow-hidden');
    setTimeout(() => this.querySelector('.drawer__inner').focus(), 0);
    this.dispatchEvent(new CustomEvent('cart-drawer:open', { bubbles: true }));
  }
  close() {
    this.classList.remove('active');
    document.body.classList.remove('overflow-hidden');
    if (this.activeElement) this.activeElement.focus();
  }
  /** Dawn's signature: the parsed /cart/add.js (or ?sections=) response. */
  renderContents(parsedState) {
    const html = parsedState.sections && parsedState.sections['cart-drawer'];
    if (!html) return;
    const fresh = new DOMParser().parseFromString(html, 'text/html').querySelector('cart-drawer');
    if (!fresh) return;
    this.classList.toggle('is-empty', fresh.classList.contains('is-empty'));
    this.querySelector('#CartDrawer').innerHTML = fresh.querySelector('#CartDrawer').innerHTML;
  }
}
customElements.define('cart-drawer', CartDrawer);

class LocalizationForm extends HTMLElement {
  connectedCallback() {
    this.querySelector('select').addEventListener('change', () => this.querySelector('form').submit());
  }
}
customElements.define('localization-form', LocalizationForm);
