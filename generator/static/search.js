// Press Archive's search page: Pagefind over the archive's index shards (see generator/search.py).
//
// The generator writes one Pagefind index per shard (a run of whole years), and this page's
// data (#pa-search-data): the shards, newest first; each facet's values with their numbers
// of releases in the whole archive.
//
// Newest-first results come from the newest shard first: older shards are merged into the
// one Pagefind instance (mergeIndex, which shares its WebAssembly) only when the reader asks
// for more results, and, once the first results are shown, for the facet counts.  Ranking
// by relevance needs every shard at once.  Each shard carries a synthetic filter `shard`
// (mergeFilter), so a search can be limited to one shard and shards stay in date order.
//
// Text from the index is never markup here: titles, dates and categories are set as
// textContent, and excerpts are built from the fragment's decoded text with <mark> elements.

const PAGE_SIZE = 20;
const EXCERPT_WORDS = 28;
const EXCERPT_LEAD_IN = 4; // words shown before the first match
const FACET_PREVIEW = 8; // values of a facet shown before "Show all"
const TYPING_PAUSE_MS = 300;

const data = JSON.parse(document.getElementById("pa-search-data").textContent);

// The site language's words (the generator puts its catalog's search texts in the page's
// data): {name} placeholders filled in; a text with plural forms chosen by `count`.
const language = document.documentElement.lang || "en";
const plurals = new Intl.PluralRules(language);
const numbers = new Intl.NumberFormat(language);

function formatNumber(value) {
  return numbers.format(value);
}

function say(key, values = {}, count = undefined) {
  let text = data.messages[key];
  if (typeof text === "object") text = text[plurals.select(count ?? 0)] ?? text.other;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

const form = document.getElementById("pa-search-form");
const input = document.getElementById("pa-q");
const order = document.getElementById("pa-sort");
const facetList = document.getElementById("pa-facet-list");
const statusLine = document.getElementById("pa-status");
const hitList = document.getElementById("pa-hits");
const moreButton = document.getElementById("pa-more");
const facetPanel = document.getElementById("pa-facets");
const siteRoot = new URL("../", document.baseURI); // this page is served at <root>/search/
const page = document.getElementById("pa-search"); // data-state: searching, shown (first results), complete, failed
const expanded = new Set(); // facets whose every value is shown
const archiveCounts = Object.fromEntries(data.facets.map((facet) => [facet.key, Object.fromEntries(facet.values)]));
let facetCounts = null; // key -> value -> number of matching releases for the current search; null until known
let generation = 0; // each search's number: the work of a superseded search is dropped

// ---- The state of a search, in the URL ----------------------------------------------------

function readState(href) {
  const params = new URL(href).searchParams;
  const filters = {};
  for (const facet of data.facets) {
    const values = params.getAll(facet.key).filter((v) => v !== "");
    if (values.length) filters[facet.key] = [...new Set(values)];
  }
  const sort = params.get("sort") === "relevance" ? "relevance" : "date";
  return { q: (params.get("q") || "").trim(), sort, filters };
}

function formState() {
  const filters = {};
  for (const box of facetList.querySelectorAll("input[type=checkbox]:checked")) {
    (filters[box.name] ||= []).push(box.value);
  }
  return { q: input.value.trim(), sort: order.value === "relevance" ? "relevance" : "date", filters };
}

function stateHref(state) {
  const params = new URLSearchParams();
  if (state.q) params.set("q", state.q);
  if (state.sort !== "date") params.set("sort", state.sort);
  for (const facet of data.facets) {
    for (const value of state.filters[facet.key] || []) params.append(facet.key, value);
  }
  const query = params.toString();
  return location.pathname + (query ? `?${query}` : "");
}

function showState(state) {
  if (input.value.trim() !== state.q) input.value = state.q; // not while typing: a space just typed stays
  order.value = state.sort;
  renderFacets(state);
}

// ---- Pagefind and its shards -----------------------------------------------------------------

let engine = null; // a promise of the Pagefind instance (the newest shard's)
const merging = new Map(); // shard name -> promise of its merge

function shardBase(shard) {
  return new URL(`${shard.name}/`, import.meta.url).href;
}

function shardOptions(shard) {
  return {
    excerptLength: EXCERPT_WORDS,
    metaCacheTag: shard.tag,
    mergeFilter: { shard: shard.name },
    ranking: { metaWeights: { title: 5.0, also: 5.0 } },
  };
}

// A failed load is forgotten, so that the next search tries again.
function forgetOnFailure(promise, name) {
  return promise.catch((error) => {
    merging.delete(name);
    if (name === data.shards[0].name) engine = null;
    throw error;
  });
}

function pagefind() {
  if (!engine) {
    const newest = data.shards[0];
    const loading = import(new URL("pagefind.js", shardBase(newest)).href).then(async (module) => {
      const instance = module.createInstance({ basePath: shardBase(newest), ...shardOptions(newest) });
      await instance.init();
      return instance;
    });
    engine = forgetOnFailure(loading, newest.name);
    merging.set(newest.name, engine);
  }
  return engine;
}

async function withShard(shard) {
  const instance = await pagefind();
  if (!merging.has(shard.name)) {
    merging.set(shard.name, forgetOnFailure(instance.mergeIndex(shardBase(shard), shardOptions(shard)), shard.name));
  }
  await merging.get(shard.name);
  return instance;
}

async function withEveryShard() {
  await Promise.all(data.shards.map(withShard));
  return pagefind();
}

function pagefindFilters(filters) {
  const chosen = {};
  for (const [key, values] of Object.entries(filters)) chosen[key] = { any: values };
  return chosen;
}

function holdsChosenYears(shard, filters) {
  const years = filters.year;
  if (!years) return true;
  const first = Number(shard.from.slice(0, 4));
  const last = Number(shard.to.slice(0, 4));
  return years.some((year) => Number(year) >= first && Number(year) <= last);
}

// ---- One search ------------------------------------------------------------------------------

class Search {
  constructor(state, number) {
    this.state = state;
    this.number = number;
    this.term = state.q || null; // null: every release that the filters let through
    this.found = []; // Pagefind results in display order
    this.shown = 0;
    this.pending = data.shards.filter((shard) => holdsChosenYears(shard, state.filters));
    this.loading = null; // the "Show more" under way: a second press waits for it
    this.total = null; // known once every shard has been searched
  }

  get current() {
    return this.number === generation;
  }

  get sortedByDate() {
    return this.state.sort === "date" || this.term === null;
  }

  // Results until `count` are found or no shard is left: newest shards first, or all at once for relevance.
  async collect(count) {
    if (!this.sortedByDate) {
      if (this.pending.length) {
        const instance = await withEveryShard();
        const response = await instance.search(this.term, { filters: pagefindFilters(this.state.filters) });
        this.found = response.results;
        this.pending = [];
      }
      this.total = this.found.length;
      return;
    }
    while (this.found.length < count && this.pending.length && this.current) {
      const shard = this.pending.shift();
      const instance = await withShard(shard);
      const filters = { ...pagefindFilters(this.state.filters), shard: shard.name };
      const response = await instance.search(this.term, { filters, sort: { date: "desc" } });
      this.found.push(...response.results);
    }
    if (!this.pending.length) this.total = this.found.length;
  }

  // The next page of results; presses of "Show more" while one loads wait their turn.
  showMore() {
    this.loading = (this.loading || Promise.resolve()).then(() => this.nextPage());
    return this.loading;
  }

  async nextPage() {
    await this.collect(this.shown + PAGE_SIZE);
    if (!this.current) return;
    const batch = this.found.slice(this.shown, this.shown + PAGE_SIZE);
    const loaded = await Promise.all(batch.map((result) => result.data()));
    if (!this.current) return;
    for (const fragment of loaded) hitList.append(hitItem(fragment));
    this.shown += loaded.length;
    this.report();
  }

  // The facet counts and the whole number of results: every shard and every filter file.
  // (Pagefind counts filter values only once every filter file is loaded, so even a search
  // already run for best match first is run again here; its index chunks are loaded by then.)
  async count() {
    const instance = await withEveryShard();
    await instance.filters();
    if (!this.current) return;
    const filters = this.state.filters;
    const response = await instance.search(this.term, { filters: pagefindFilters(filters) });
    if (!this.current) return;
    const counts = { ...response.filters };
    // A facet's own choices are alternatives: its counts are those without them.
    for (const key of Object.keys(filters)) {
      const others = { ...filters };
      delete others[key];
      if (this.term === null && !Object.keys(others).length) {
        counts[key] = archiveCounts[key]; // nothing else chosen: the whole archive's
        continue;
      }
      const without = await instance.search(this.term, { filters: pagefindFilters(others) });
      if (!this.current) return;
      counts[key] = without.filters[key] || {};
    }
    this.total = response.results.length;
    facetCounts = counts;
    renderFacets(this.state);
    this.report();
  }

  report() {
    const { q } = this.state;
    const count = this.total ?? this.found.length;
    const shownCount = this.total === null ? `${formatNumber(count)}+` : formatNumber(count);
    if (this.total === 0) {
      statusLine.textContent = say(q ? "search_none_for" : "search_none", { q });
    } else {
      const order = say(this.sortedByDate ? "search_status_date" : "search_status_relevance");
      const partial = this.total === null || this.shown < this.total ? ` ${say("search_showing", { shown: formatNumber(this.shown) })}` : "";
      statusLine.textContent = say(q ? "search_found_for" : "search_found", { count: shownCount, q, order }, count) + partial;
    }
    const exhausted = this.shown >= this.found.length && !this.pending.length;
    moreButton.hidden = exhausted || (this.total !== null && this.shown >= this.total);
  }
}

let search = null;

async function run(state) {
  const current = new Search(state, ++generation);
  search = current;
  facetCounts = null;
  showState(state);
  hitList.replaceChildren();
  moreButton.hidden = true;
  if (!data.shards.length) {
    statusLine.textContent = say("search_empty");
    page.dataset.state = "complete";
    return;
  }
  const everything = !state.q && !Object.keys(state.filters).length;
  statusLine.textContent = say("search_searching");
  page.dataset.state = "searching";
  if (everything) {
    current.total = data.releases; // and the facets show the whole archive's counts
    facetCounts = archiveCounts;
    renderFacets(state);
  }
  try {
    await current.showMore();
  } catch (error) {
    if (current.current) failed(error, UNLOADED);
    return;
  }
  if (!current.current) return;
  page.dataset.state = "shown";
  performance.mark("pa-search-shown"); // for bench/search.py, as the page's own clock sees it
  try {
    if (!everything) await current.count();
  } catch (error) {
    if (current.current) failed(error, say("search_counts_failed"));
    return;
  }
  if (!current.current) return;
  page.dataset.state = "complete";
  performance.mark("pa-search-complete");
}

const UNLOADED = say("search_index_failed");

function failed(error, message) {
  console.warn("Press Archive search:", error);
  page.dataset.state = "failed";
  statusLine.textContent = hitList.children.length ? `${statusLine.textContent} ${message}` : message;
}

// ---- Showing results and facets --------------------------------------------------------------

// The excerpt as Pagefind makes it (its excerpt.ts), but from the fragment's decoded text, so
// that no text of a release can become markup or lose an "&lt;" of its own.
function excerptRegion(weightedLocations, length) {
  const words = [];
  for (const { location, balanced_score: score } of weightedLocations) words[location] = (words[location] || 0) + score;
  if (words.length <= length) return 0;
  let densest = words.slice(0, length).reduce((sum, score) => sum + (score || 0), 0);
  let sum = densest;
  let densestAt = [0];
  for (let i = 0; i < words.length; i++) {
    sum += (words[i + length] ?? 0) - (words[i] ?? 0);
    if (sum > densest) {
      densest = sum;
      densestAt = [i];
    } else if (sum === densest && densestAt[densestAt.length - 1] === i - 1) {
      densestAt.push(i);
    }
  }
  return densestAt[Math.floor(densestAt.length / 2)];
}

function excerptNodes(fragment) {
  const words = fragment.content.split(/[\r\n\s]+/g);
  const marked = new Set(fragment.locations || []);
  let start = excerptRegion(fragment.weighted_locations || [], EXCERPT_WORDS);
  start = Math.max(0, Math.min(start, words.length - EXCERPT_WORDS));
  // Two lines show a phone only a dozen words: begin just before the region's first match.
  const first = [...marked].filter((i) => i >= start && i < start + EXCERPT_WORDS).sort((a, b) => a - b)[0];
  if (first !== undefined) start = Math.max(0, first - EXCERPT_LEAD_IN);
  const nodes = [];
  let text = "";
  for (let i = start; i < Math.min(words.length, start + EXCERPT_WORDS); i++) {
    const separator = text || nodes.length ? " " : "";
    if (marked.has(i)) {
      // Pagefind's words keep their punctuation: mark "hydrogen" in "(hydrogen),", not the brackets.
      const [, before, word, after] = words[i].match(/^([\p{P}\p{S}]*)(.*?)([\p{P}\p{S}]*)$/su);
      nodes.push(document.createTextNode(text + separator + before));
      const mark = document.createElement("mark");
      mark.textContent = word;
      nodes.push(mark);
      text = after;
    } else {
      text += separator + words[i];
    }
  }
  if (text) nodes.push(document.createTextNode(text));
  return nodes.filter((node) => node.textContent !== "");
}

function hitItem(fragment) {
  const item = document.createElement("li");
  item.className = "pa-hit";
  const title = document.createElement("a");
  title.className = "pa-hit-title";
  title.href = new URL(fragment.raw_url.replace(/^\//, ""), siteRoot).href;
  title.textContent = fragment.meta.title || fragment.raw_url;
  const heading = document.createElement("h2");
  heading.append(title);
  const meta = document.createElement("p");
  meta.className = "pa-hit-meta";
  if (fragment.meta.date) {
    const time = document.createElement("time");
    time.dateTime = fragment.meta.date;
    time.textContent = fragment.meta.day || fragment.meta.date; // written by the generator as the pages write dates
    meta.append(time);
  }
  const category = (fragment.filters.category || [])[0];
  if (category) {
    const label = document.createElement("span");
    label.className = "pa-hit-category";
    label.textContent = fragment.meta.category_inferred ? `${category} ${say("inferred")}` : category;
    meta.append(" · ", label);
  }
  const excerpt = document.createElement("p");
  excerpt.className = "pa-hit-excerpt";
  excerpt.append(...excerptNodes(fragment));
  item.append(heading, meta, excerpt);
  return item;
}

// A facet's values with their counts for the current search (null while not known yet):
// years newest first and categories in the archive's order, tags with most releases first.
// A value no release of the search has is left out unless chosen; a chosen value the
// archive does not know (an old link) is shown, so that it can be unchosen.
function facetValues(facet, chosen) {
  const known = facet.values.map(([value]) => value);
  const names = [...known, ...[...chosen].filter((value) => !known.includes(value))];
  const counts = facetCounts?.[facet.key];
  if (!counts) return names.map((value) => [value, null]);
  let values = names.map((value) => [value, counts[value] || 0]);
  if (facet.key !== "year" && facet.key !== "category") values = values.sort((a, b) => b[1] - a[1]); // stable
  return values.filter(([value, count]) => count > 0 || chosen.has(value));
}

function renderFacets(state) {
  // The checkboxes are made anew: the one with the keyboard focus gets it back.
  const focused = facetList.contains(document.activeElement) ? document.activeElement : null;
  const fieldsets = [];
  for (const facet of data.facets) {
    const chosen = new Set(state.filters[facet.key] || []);
    const values = facetValues(facet, chosen);
    if (!values.length) continue;
    const fieldset = document.createElement("fieldset");
    fieldset.className = "pa-facet";
    fieldset.dataset.facet = facet.key;
    const legend = document.createElement("legend");
    legend.textContent = facet.label;
    fieldset.append(legend);
    const all = expanded.has(facet.key) || values.length <= FACET_PREVIEW + 2;
    const shownValues = all ? values : values.filter(([value], i) => i < FACET_PREVIEW || chosen.has(value));
    const list = document.createElement("ul");
    for (const [value, count] of shownValues) {
      const box = document.createElement("input");
      box.type = "checkbox";
      box.name = facet.key;
      box.setAttribute("form", "pa-search-form"); // submitted with the form, though outside it
      box.value = value;
      box.checked = chosen.has(value);
      box.id = `pa-facet-${facet.key}-${list.children.length}`;
      const label = document.createElement("label");
      label.htmlFor = box.id;
      const name = document.createElement("span");
      name.textContent = value;
      label.append(name);
      if (count !== null) {
        const number = document.createElement("span");
        number.className = "pa-facet-count";
        number.textContent = count;
        label.append(" ", number);
      }
      const entry = document.createElement("li");
      entry.append(box, label);
      list.append(entry);
    }
    fieldset.append(list);
    if (!all) {
      const toggle = document.createElement("button");
      toggle.type = "button";
      toggle.className = "pa-facet-all";
      toggle.textContent = say("search_show_all", { count: formatNumber(values.length) });
      toggle.addEventListener("click", () => {
        expanded.add(facet.key);
        renderFacets(formState());
        document.getElementById(`pa-facet-${facet.key}-${FACET_PREVIEW}`)?.focus(); // the first value that was hidden
      });
      fieldset.append(toggle);
    }
    fieldsets.push(fieldset);
  }
  if (Object.keys(state.filters).length) {
    const clear = document.createElement("button");
    clear.type = "button";
    clear.className = "md-button pa-facet-clear";
    clear.textContent = say("search_clear");
    clear.addEventListener("click", () => {
      commit({ ...formState(), filters: {} });
      statusLine.focus(); // the button is gone: carry on at the results
    });
    fieldsets.push(clear);
  }
  facetList.replaceChildren(...fieldsets);
  if (focused?.matches("input")) {
    const again = [...facetList.querySelectorAll("input")].find((box) => box.name === focused.name && box.value === focused.value);
    (again || statusLine).focus();
  }
}

// ---- Events ----------------------------------------------------------------------------------

function commit(state, replace = false) {
  const href = stateHref(state);
  if (replace) history.replaceState(null, "", href);
  else if (href !== location.pathname + location.search) history.pushState(null, "", href);
  run(state);
}

let typingTimer = 0;
input.addEventListener("input", () => {
  clearTimeout(typingTimer);
  typingTimer = setTimeout(() => commit(formState(), true), TYPING_PAUSE_MS);
});
form.addEventListener("submit", (event) => {
  event.preventDefault();
  clearTimeout(typingTimer);
  commit(formState());
});
order.addEventListener("change", () => commit(formState()));
facetList.addEventListener("change", (event) => {
  if (event.target.matches("input[type=checkbox]")) commit(formState());
});
moreButton.addEventListener("click", async () => {
  const current = search;
  const first = hitList.children.length;
  moreButton.disabled = true;
  try {
    await current.showMore();
  } catch (error) {
    if (current.current) failed(error, say("search_more_failed"));
  } finally {
    moreButton.disabled = false;
  }
  if (current.current) hitList.children[first]?.querySelector("a")?.focus(); // carry on where the new results start
});
window.addEventListener("popstate", () => run(readState(location.href)));

const initial = readState(location.href);
// On a phone the facets start folded away unless the search uses some.
if (matchMedia("(max-width: 59.9375em)").matches && !Object.keys(initial.filters).length) facetPanel.open = false;
if (!initial.q && !Object.keys(initial.filters).length) input.focus(); // come to search: the box is ready
run(initial);
