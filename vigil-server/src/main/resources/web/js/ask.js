// The prompt bar and its sessions: ask (answers stream in as server-sent events), suggestions as you type,
// "/" for a skill, promptbooks from a menu, tables, charts, evidence, follow-ups and the process log of each
// answer, the session list and the pin board.

import {h, replace, append, errorBox, announce, table} from './dom.js';
import {auth, get, put, del, stream, tenant} from './api.js';
import {markdown} from './markdown.js';
import {chart} from './charts.js';
import {evidenceButton, refOf} from './evidence.js';

const COPILOT = path => tenant(`/copilot${path}`);

export async function render(main, {rest}) {
  const page = new AskPage(main, rest[0] || null);
  await page.start();
  return () => page.stop();
}

class AskPage {
  constructor(main, sessionId) {
    this.main = main;
    this.session = sessionId;
    this.answers = new Map(); // turn number -> answer, for evidence of query:N
    this.pins = new Map();
    this.abort = new AbortController();
  }

  stop() {
    this.abort.abort();
  }

  async start() {
    this.sessionList = h('ul.sessions');
    this.pinBoard = h('ul.pins');
    this.transcript = h('div.transcript', {'aria-live': 'polite', 'aria-busy': 'false'});
    this.title = h('h1', 'Ask Vigil');
    this.bar = this.promptBar();
    replace(this.main, h('div.ask-layout',
      h('aside.side', {'aria-label': 'Sessions and pins'},
        h('section', {'aria-labelledby': 'sessions-title'},
          h('div.side-head', h('h2#sessions-title', 'Sessions'),
            h('a.button.small', {href: '#/ask', 'aria-label': 'New session'}, 'New')),
          this.sessionList),
        h('section', {'aria-labelledby': 'pins-title'}, h('h2#pins-title', 'Pin board'), this.pinBoard)),
      h('section.conversation', {'aria-labelledby': 'ask-title'},
        this.title, this.transcript, this.bar)));
    this.title.id = 'ask-title';
    await Promise.all([this.loadSessions(), this.session ? this.loadSession() : this.emptyState()]);
    this.input.focus();
  }

  emptyState() {
    this.pins.clear();
    this.renderPins();
    replace(this.transcript, h('p.muted.hint', 'Ask about your incidents, hosts, users or any data. Type / to call a skill,'
      + ' or pick a promptbook. Try: ', h('button.link', {type: 'button', onclick: () => this.ask('summarize the open incidents')},
        'summarize the open incidents')));
  }

  // --- sessions and pins ----------------------------------------------------------------------------------

  async loadSessions() {
    try {
      const {sessions} = await get(COPILOT('/sessions'));
      replace(this.sessionList, sessions.length ? sessions.map(s => h('li',
        h('a', {href: `#/ask/${s.id}`, 'aria-current': s.id === this.session ? 'page' : null},
          h('span.name', s.name), h('span.meta', `${s.turns} turns${s.pins ? `, ${s.pins} pins` : ''}`
            + `${s.shared ? ', shared' : ''}${s.owner !== auth.state.name ? ` · ${s.owner}` : ''}`))))
        : h('li.muted', 'No sessions yet.'));
    } catch (error) {
      replace(this.sessionList, h('li', errorBox(error)));
    }
  }

  async loadSession() {
    try {
      const session = await get(COPILOT(`/sessions/${encodeURIComponent(this.session)}`));
      this.title.textContent = session.name;
      this.owner = session.owner;
      replace(this.transcript);
      for (const turn of session.turns) {
        const view = this.turnView(turn.prompt);
        this.showAnswer(view, turn.answer, turn.number);
      }
      this.pins = new Map(session.pins.map(p => [p.turn, p]));
      this.renderPins();
      this.markPins();
    } catch (error) {
      replace(this.transcript, errorBox(error));
    }
  }

  renderPins() {
    const pins = [...this.pins.values()].sort((a, b) => a.turn - b.turn);
    replace(this.pinBoard, pins.length ? pins.map(p => {
      const turn = this.transcript.querySelector(`[data-turn="${p.turn}"]`);
      const prompt = turn ? turn.querySelector('.prompt-text').textContent : `turn ${p.turn}`;
      return h('li', h('a', {href: `#turn-${p.turn}`, onclick: event => {
        event.preventDefault();
        if (turn) { turn.scrollIntoView({behavior: 'smooth', block: 'start'}); turn.focus(); }
      }}, h('span.name', p.note || prompt), h('span.meta', `turn ${p.turn}${p.note ? ` · ${prompt}` : ''}`)));
    }) : h('li.muted', this.session ? 'Pin a turn to keep it here.' : 'Pins belong to a session.'));
  }

  markPins() {
    for (const article of this.transcript.querySelectorAll('article.turn[data-turn]')) {
      const pinned = this.pins.has(Number(article.dataset.turn));
      const button = article.querySelector('button.pin');
      if (button) {
        button.setAttribute('aria-pressed', String(pinned));
        button.textContent = pinned ? 'Unpin' : 'Pin';
      }
    }
  }

  async togglePin(turn, button) {
    const path = COPILOT(`/sessions/${encodeURIComponent(this.session)}/pins/${turn}`);
    try {
      if (this.pins.has(turn)) {
        await del(path);
        this.pins.delete(turn);
        announce(`Turn ${turn} unpinned`);
      } else {
        const note = button.closest('article').querySelector('.prompt-text').textContent.slice(0, 80);
        const pin = await put(path, {note});
        this.pins.set(turn, pin);
        announce(`Turn ${turn} pinned`);
      }
      this.renderPins();
      this.markPins();
      this.loadSessions();
    } catch (error) {
      button.after(errorBox(error));
    }
  }

  // --- the prompt bar -------------------------------------------------------------------------------------

  promptBar() {
    this.input = h('textarea#prompt', {rows: 2, role: 'combobox', 'aria-autocomplete': 'list', 'aria-expanded': 'false',
      'aria-controls': 'suggestions', 'aria-label': 'Ask Vigil', placeholder: 'Ask a question, / for a skill…',
      autocomplete: 'off', spellcheck: 'false'});
    this.list = h('ul#suggestions.suggestions', {role: 'listbox', 'aria-label': 'Suggestions', hidden: true});
    this.books = h('ul#promptbook-menu.menu', {role: 'menu', hidden: true, 'aria-label': 'Promptbooks'});
    this.booksButton = h('button#promptbooks', {type: 'button', 'aria-haspopup': 'menu', 'aria-expanded': 'false',
      'aria-controls': 'promptbook-menu', onclick: () => this.toggleBooks()}, 'Promptbooks');
    this.askButton = h('button.primary', {type: 'submit'}, 'Ask');
    let timer = null;
    this.input.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(() => this.suggest(), 120);
    });
    this.input.addEventListener('keydown', event => this.keys(event));
    this.input.addEventListener('blur', () => setTimeout(() => this.closeSuggestions(), 150));
    this.books.addEventListener('keydown', event => this.menuKeys(event));
    return h('form.prompt-bar', {onsubmit: event => { event.preventDefault(); this.ask(this.input.value); }},
      h('div.prompt-input', this.input, this.list),
      h('div.prompt-actions', h('div.menu-wrap', this.booksButton, this.books), this.askButton));
  }

  keys(event) {
    const open = !this.list.hidden;
    const options = [...this.list.querySelectorAll('[role=option]')];
    const active = options.findIndex(o => o.getAttribute('aria-selected') === 'true');
    if (open && (event.key === 'ArrowDown' || event.key === 'ArrowUp')) {
      event.preventDefault();
      // down from the field goes to the first option, past the last back to the field; up the other way
      let next = active + (event.key === 'ArrowDown' ? 1 : -1);
      if (next >= options.length) next = -1;
      else if (next < -1) next = options.length - 1;
      this.highlight(options, next);
    } else if (event.key === 'Escape' && open) {
      event.preventDefault();
      this.closeSuggestions();
    } else if ((event.key === 'Enter' || event.key === 'Tab') && open && active >= 0) {
      event.preventDefault();
      this.accept(options[active]);
    } else if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      this.ask(this.input.value);
    }
  }

  highlight(options, index) {
    options.forEach((o, i) => o.setAttribute('aria-selected', String(i === index)));
    if (index >= 0) {
      this.input.setAttribute('aria-activedescendant', options[index].id);
      options[index].scrollIntoView({block: 'nearest'});
    } else {
      this.input.removeAttribute('aria-activedescendant');
    }
  }

  async suggest() {
    const q = this.input.value;
    if (!q.trim()) { this.closeSuggestions(); return; }
    try {
      const {suggestions} = await get(COPILOT(`/suggest?q=${encodeURIComponent(q)}&limit=8`));
      if (this.input.value !== q) return; // typed on meanwhile
      if (!suggestions.length) { this.closeSuggestions(); return; }
      replace(this.list, suggestions.map((s, i) => h('li', {role: 'option', id: `suggestion-${i}`, 'aria-selected': 'false',
        'data-text': s.text, 'data-kind': s.kind,
        onmousedown: event => { event.preventDefault(); this.accept(event.currentTarget); }},
        h('span.kind', s.kind), ' ', h('span.text', s.text), s.detail ? h('span.detail', s.detail) : null)));
      this.list.hidden = false;
      place(this.list);
      this.input.setAttribute('aria-expanded', 'true');
    } catch (error) {
      this.closeSuggestions();
    }
  }

  accept(option) {
    this.closeSuggestions();
    if (option.dataset.kind === 'promptbook') {
      this.input.value = '';
      this.choosePromptbook(option.dataset.text);
      return;
    }
    this.input.value = option.dataset.text;
    this.input.focus();
    this.input.setSelectionRange(this.input.value.length, this.input.value.length);
    if (option.dataset.kind === 'skill' || option.dataset.kind === 'input') this.suggest();
  }

  closeSuggestions() {
    this.list.hidden = true;
    this.input.setAttribute('aria-expanded', 'false');
    this.input.removeAttribute('aria-activedescendant');
  }

  // --- promptbooks ----------------------------------------------------------------------------------------

  async toggleBooks() {
    if (!this.books.hidden) { this.closeBooks(); return; }
    try {
      const {promptbooks} = await get(COPILOT('/promptbooks'));
      this.promptbooks = promptbooks;
      replace(this.books, promptbooks.map(b => h('li', {role: 'none'}, h('button', {type: 'button', role: 'menuitem',
        tabindex: -1, 'data-name': b.name, title: b.description, onclick: () => { this.closeBooks(); this.choosePromptbook(b.name); }},
        h('span.name', b.name), h('span.meta', `${b.prompts} prompts · ${b.source}`)))));
      this.books.hidden = false;
      place(this.books);
      this.booksButton.setAttribute('aria-expanded', 'true');
      const first = this.books.querySelector('[role=menuitem]');
      if (first) first.focus();
    } catch (error) {
      this.transcript.append(errorBox(error));
    }
  }

  closeBooks() {
    this.books.hidden = true;
    this.booksButton.setAttribute('aria-expanded', 'false');
  }

  menuKeys(event) {
    const items = [...this.books.querySelectorAll('[role=menuitem]')];
    const index = items.indexOf(document.activeElement);
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      items[(index + (event.key === 'ArrowDown' ? 1 : -1) + items.length) % items.length].focus();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      this.closeBooks();
      this.booksButton.focus();
    } else if (event.key === 'Tab') {
      this.closeBooks();
    }
  }

  async choosePromptbook(name) {
    const book = (this.promptbooks || (await get(COPILOT('/promptbooks'))).promptbooks).find(b => b.name === name);
    if (!book) return;
    const fields = book.inputs.map((input, i) => ({input, field: h(input.name === 'Script' ? 'textarea' : 'input',
      {id: `pb-input-${i}`, required: input.required, rows: 4})}));
    const dialog = h('dialog.promptbook', {'aria-labelledby': 'pb-title'},
      h('form', {method: 'dialog', onsubmit: event => {
        event.preventDefault();
        const inputs = Object.fromEntries(fields.map(({input, field}) => [input.name, field.value]));
        dialog.close();
        this.runPromptbook(book, inputs);
      }},
      h('h2#pb-title', `Run ${book.name}`), h('p', book.description),
      fields.map(({input, field}) => [h('label', {for: field.id}, input.name, input.required ? ' (required)' : '',
        h('span.detail', input.description)), field]),
      h('div.actions', h('button.primary', {type: 'submit'}, `Run ${book.prompts} prompts`),
        h('button', {type: 'button', onclick: () => dialog.close()}, 'Cancel'))));
    dialog.addEventListener('close', () => { dialog.remove(); this.input.focus(); });
    document.body.append(dialog);
    dialog.showModal();
  }

  async runPromptbook(book, inputs) {
    this.session = null;
    replace(this.transcript);
    this.title.textContent = `${book.name}`;
    const status = h('p.status', {role: 'status'}, `Running promptbook ${book.name}…`);
    this.transcript.append(status);
    this.busy(true);
    let count = 0;
    try {
      await stream(COPILOT(`/promptbooks/${encodeURIComponent(book.name)}/run/stream`), {inputs}, (name, data) => {
        if (name === 'session') {
          this.session = data.id;
          this.owner = data.owner;
          this.title.textContent = data.name;
          history.replaceState(null, '', `#/ask/${data.id}`);
        } else if (name === 'answer') {
          count++;
          status.textContent = `Running promptbook ${book.name}: ${count} of ${book.prompts} answered…`;
          const view = this.turnView(data.prompt);
          this.transcript.insertBefore(view.article, status);
          this.showAnswer(view, data, data.turn);
        } else if (name === 'done') {
          status.textContent = `Promptbook ${book.name}: ${data.asked} of ${data.prompts} prompts asked`
            + `${data.failed ? `, ${data.failed} without an answer` : ''}${data.stopped_at ? `, stopped at prompt ${data.stopped_at}` : ''}.`;
        } else if (name === 'error') {
          status.replaceWith(errorBox(data));
        }
      }, this.abort.signal);
      announce(status.textContent);
    } catch (error) {
      if (error.name !== 'AbortError') status.replaceWith(errorBox(error));
    } finally {
      this.busy(false);
      this.pins.clear();
      this.renderPins();
      this.loadSessions();
    }
  }

  // --- asking ---------------------------------------------------------------------------------------------

  busy(on) {
    this.askButton.disabled = on;
    this.transcript.setAttribute('aria-busy', String(on));
  }

  async ask(prompt) {
    prompt = String(prompt || '').trim();
    if (!prompt || this.askButton.disabled) return;
    this.closeSuggestions();
    if (this.session && this.owner && this.owner !== auth.state.name) {
      this.session = null; // a shared session of someone else is read, not continued
    }
    if (!this.session) replace(this.transcript);
    this.input.value = '';
    const view = this.turnView(prompt);
    this.transcript.append(view.article);
    view.article.scrollIntoView({block: 'start'});
    this.busy(true);
    let answered = false;
    try {
      await stream(COPILOT('/ask/stream'), {prompt, session: this.session || 'new'}, (name, data) => {
        if (name === 'plan') this.showPlan(view, data);
        else if (name === 'progress') append(view.progress, h('li', data.message));
        else if (name === 'step') append(view.progress, h('li', `${data.step}: ${data.status}`));
        else if (name === 'token') view.draft.textContent += data.text;
        else if (name === 'answer') {
          answered = true;
          if (data.session) { this.session = data.session; this.owner = auth.state.name; }
          this.showAnswer(view, data, data.turn);
        }
        else if (name === 'done' && data.session) {
          if (!location.hash.endsWith(data.session)) {
            history.replaceState(null, '', `#/ask/${data.session}`);
            this.title.textContent = prompt.slice(0, 60);
          }
        } else if (name === 'error') view.body.append(errorBox(data));
      }, this.abort.signal);
      if (answered) announce('Answer ready');
    } catch (error) {
      if (error.name !== 'AbortError') view.body.append(errorBox(error));
    } finally {
      this.busy(false);
      this.loadSessions();
      this.renderPins();
      this.input.focus();
    }
  }

  turnView(prompt) {
    const progress = h('ol.progress', {'aria-label': 'Progress'});
    const draft = h('p.draft');
    const body = h('div.answer', progress, draft);
    const article = h('article.turn', {tabindex: -1},
      h('header.turn-head', h('p.prompt', h('span.visually-hidden', 'You asked: '), h('span.prompt-text', prompt))),
      body);
    return {article, body, progress, draft};
  }

  showPlan(view, plan) {
    const steps = (plan.steps || []).map(s => s.display || `/${s.skill}`);
    append(view.progress, h('li', `Plan (${plan.route.toLowerCase()}): ${steps.join(', ') || plan.rationale || 'no skill'}`));
  }

  showAnswer(view, answer, turn) {
    const {article, body} = view;
    if (turn) {
      article.dataset.turn = turn;
      article.id = `turn-${turn}`;
      this.answers.set(turn, answer);
      if (this.session && (!this.owner || this.owner === auth.state.name)) {
        article.querySelector('.turn-head').append(h('button.pin.small', {type: 'button', 'aria-pressed': 'false',
          'aria-label': `Pin turn ${turn}`, onclick: event => this.togglePin(turn, event.currentTarget)}, 'Pin'));
      }
    }
    replace(body,
      h('div.markdown', markdown(answer.markdown)),
      (answer.tables || []).map(t => table(t.columns, t.rows, {caption: t.title, cell: (value, c) => {
        const ref = refOf(value, t.columns[c]);
        return ref ? evidenceButton(ref, answer) : value === null || value === undefined ? '' : String(value);
      }})),
      (answer.charts || []).length ? h('div.charts', answer.charts.map(chart)) : null,
      (answer.evidence || []).length ? h('section.evidence-list', {'aria-label': 'Evidence'}, h('h3', 'Evidence'),
        h('ul', answer.evidence.map(e => h('li', h('span.claim', e.claim), ' ', e.refs.map(r => evidenceButton(r, answer)))))) : null,
      (answer.followUps || []).length ? h('div.follow-ups', {role: 'group', 'aria-label': 'Follow-up questions'},
        answer.followUps.map(f => h('button.chip', {type: 'button', onclick: () => this.ask(f)}, f))) : null,
      h('details.process-log', h('summary', `Process log · ${((answer.totalMicros || 0) / 1000).toFixed(0)} ms`),
        table(['step', 'status', 'detail', 'ms'], (answer.log || []).map(s => [s.step, s.status, s.detail,
          ((s.micros || 0) / 1000).toFixed(1)]), {caption: 'What the copilot did'}),
        (answer.queries || []).map((q, i) => h('div.query', h('span', `query:${i} · ${q.rows} rows · ${q.millis} ms`),
          h('pre', h('code', q.text))))));
    this.markPins();
  }
}

/** A pop-up opens above its field, or below it when there is no room above (an empty conversation). */
function place(popup) {
  popup.classList.remove('below');
  if (popup.getBoundingClientRect().top < 0) popup.classList.add('below');
}
