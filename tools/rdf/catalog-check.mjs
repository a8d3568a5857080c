// Checks the DCAT-AP.de catalogue of a running server (GET /api/v1/catalog) the way a
// portal would read it, and the JSON-LD of one resource of each type:
//
//   node catalog-check.mjs http://127.0.0.1:8080 [label]
//
// 1. Turtle (Accept: text/turtle) and JSON-LD (Accept: application/ld+json) are parsed
//    with n3 and jsonld and must state the same triples (URDNA2015 canonical forms
//    equal); ?format=ttl and ?format=jsonld must give the same documents.
// 2. Both are validated with rdf-validate-shacl against the shapes GovData validates
//    with (shapes/, see shapes/README.md) plus stand-ins for the vocabularies it imports
//    online (vocabularies.ttl): zero violations (warnings are listed, not fatal).
// 3. Self-test: for every property the shapes require, the catalogue with that property
//    taken away must fail validation on it, so a required property that goes missing
//    fails CI.
// 4. Resources: with --resources PARTNER,COOPERATION,PROJECT (slugs, or "auto" for the
//    first of each list), each resource's JSON-LD (Accept: application/ld+json) is
//    expanded with jsonld and must yield the triples listed in expectedResourceTriples.
//
// Nothing is loaded from the network but the server: JSON-LD contexts are inline, and
// a remote context is an error.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import N3 from 'n3';
import jsonld from 'jsonld';
import SHACLValidator from 'rdf-validate-shacl';

const here = path.dirname(fileURLToPath(import.meta.url));
const [base, label = 'catalogue', ...rest] = process.argv.slice(2);
if (!base) {
	console.error('usage: node catalog-check.mjs BASE_URL [label] [--resources partner,cooperation,project]');
	process.exit(2);
}
const resourcesArg = rest.indexOf('--resources') >= 0 ? rest[rest.indexOf('--resources') + 1] : '';

const NS = {
	rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
	sh: 'http://www.w3.org/ns/shacl#',
	dcat: 'http://www.w3.org/ns/dcat#',
	dct: 'http://purl.org/dc/terms/',
	foaf: 'http://xmlns.com/foaf/0.1/',
	vcard: 'http://www.w3.org/2006/vcard/ns#',
	schema: 'http://schema.org/',
};
const shapeFiles = ['dcat-ap-SHACL-3.0.0.ttl', 'dcat-ap-SHACL-DE.ttl', 'dcat-ap-spec-german-additions.ttl',
	'dcat-ap-de-controlledvocabularies.ttl', 'dcat-ap-de-deprecated.ttl'];

const offline = async (url) => {
	throw new Error(`refusing to load ${url}: JSON-LD must not need the network`);
};

function parseTurtle(text, baseIRI) {
	const store = new N3.Store();
	store.addQuads(new N3.Parser({ baseIRI }).parse(text));
	return store;
}

async function parseJSONLD(doc) {
	const nquads = await jsonld.toRDF(doc, { format: 'application/n-quads', documentLoader: offline });
	const store = new N3.Store();
	store.addQuads(new N3.Parser({ format: 'N-Quads' }).parse(nquads));
	return store;
}

function nquadsOf(store) {
	return new N3.Writer({ format: 'N-Quads' }).quadsToString(store.getQuads());
}

async function canonical(store) {
	return jsonld.canonize(nquadsOf(store), { algorithm: 'URDNA2015', inputFormat: 'application/n-quads', format: 'application/n-quads' });
}

async function get(url, accept) {
	const res = await fetch(url, { headers: accept ? { Accept: accept } : {} });
	const body = await res.text();
	if (res.status !== 200) {
		throw new Error(`GET ${url} (${accept}): ${res.status} ${body.slice(0, 300)}`);
	}
	return { body, type: res.headers.get('content-type') || '' };
}

const shapes = new N3.Store();
for (const f of shapeFiles) {
	shapes.addQuads(new N3.Parser().parse(fs.readFileSync(path.join(here, 'shapes', f), 'utf8')));
}
const vocabularies = new N3.Parser().parse(fs.readFileSync(path.join(here, 'vocabularies.ttl'), 'utf8'));

async function validate(store) {
	const data = new N3.Store(store.getQuads());
	data.addQuads(vocabularies);
	const report = await new SHACLValidator(shapes).validate(data);
	const by = (sev) => report.results.filter((r) => r.severity?.value === NS.sh + sev);
	return { violations: by('Violation'), warnings: by('Warning'), others: by('Info') };
}

function describe(r) {
	return `${r.focusNode?.value} ${r.path?.value ?? ''}: ${r.message.map((m) => m.value).join(' | ')}`;
}

let failures = 0;
function fail(msg) {
	failures++;
	console.error(`FAIL ${label}: ${msg}`);
}

// 1. both forms, by Accept and by ?format=, the same graph
const url = `${base}/api/v1/catalog`;
const ttl = await get(url, 'text/turtle');
const ttlByParam = await get(`${url}?format=ttl`);
const jl = await get(url, 'application/ld+json');
const jlByParam = await get(`${url}?format=jsonld`);
if (!ttl.type.startsWith('text/turtle')) fail(`Accept text/turtle answered ${ttl.type}`);
if (!jl.type.startsWith('application/ld+json')) fail(`Accept application/ld+json answered ${jl.type}`);
if (ttl.body !== ttlByParam.body) fail('?format=ttl differs from Accept: text/turtle');
if (jl.body !== jlByParam.body) fail('?format=jsonld differs from Accept: application/ld+json');
const fromTurtle = parseTurtle(ttl.body, url);
const fromJSONLD = await parseJSONLD(JSON.parse(jl.body));
console.log(`${label}: Turtle ${ttl.body.length} bytes, ${fromTurtle.size} triples; JSON-LD ${jl.body.length} bytes, ${fromJSONLD.size} triples`);
if ((await canonical(fromTurtle)) !== (await canonical(fromJSONLD))) {
	fail('the Turtle and the JSON-LD catalogue state different triples');
}
for (const [cls, min] of [['Catalog', 1], ['Dataset', 3], ['Distribution', 12], ['DataService', 1]]) {
	const n = fromTurtle.getSubjects(NS.rdf + 'type', NS.dcat + cls).length;
	if (n < min) fail(`${n} dcat:${cls}, want at least ${min}`);
}

// 2. the shapes
for (const [form, store] of [['Turtle', fromTurtle], ['JSON-LD', fromJSONLD]]) {
	const { violations, warnings } = await validate(store);
	console.log(`${label} (${form}): ${violations.length} violations, ${warnings.length} warnings`);
	for (const w of warnings) console.log(`  warning: ${describe(w)}`);
	for (const v of violations) fail(`${form}: ${describe(v)}`);
}

// 3. a required property taken away must be found
const required = [
	['dcat:Catalog', 'dct:title'], ['dcat:Catalog', 'dct:description'], ['dcat:Catalog', 'dct:publisher'],
	['dcat:Dataset', 'dct:title'], ['dcat:Dataset', 'dct:description'], ['dcat:Dataset', 'dct:publisher'],
	['dcat:Distribution', 'dcat:accessURL'], ['dcat:Distribution', 'dct:license'],
	['dcat:DataService', 'dct:title'], ['dcat:DataService', 'dcat:endpointURL'], ['dcat:DataService', 'dct:publisher'],
	['foaf:Agent', 'foaf:name'], ['vcard:Kind', 'vcard:hasEmail vcard:hasURL vcard:hasTelephone'],
	['dct:PeriodOfTime', 'dcat:startDate dcat:endDate'],
];
const iri = (curie) => NS[curie.split(':')[0]] + curie.split(':')[1];
let checked = 0;
for (const [cls, props] of required) {
	const subjects = fromTurtle.getSubjects(NS.rdf + 'type', iri(cls));
	if (subjects.length === 0) {
		fail(`self-test: no ${cls} in the catalogue to take ${props} from`);
		continue;
	}
	const mutant = new N3.Store(fromTurtle.getQuads());
	for (const p of props.split(' ')) {
		for (const s of subjects) mutant.removeQuads(mutant.getQuads(s, iri(p), null));
	}
	const { violations } = await validate(mutant);
	const subjectIRIs = new Set(subjects.map((s) => s.value));
	if (!violations.some((v) => subjectIRIs.has(v.focusNode?.value))) {
		fail(`self-test: without ${props} the ${cls} still validates`);
	}
	checked++;
}
console.log(`${label}: self-test: ${checked} required properties, each missed by validation when taken away`);

// 4. the resources' JSON-LD
const expectedResourceTriples = {
	partner: (id) => [[id, NS.rdf + 'type', null], [id, NS.schema + 'name', null], [id, NS.schema + 'identifier', null]],
	cooperation: (id) => [[id, NS.rdf + 'type', NS.schema + 'Organization'], [id, NS.schema + 'name', null], [id, NS.schema + 'member', null]],
	project: (id) => [[id, NS.rdf + 'type', NS.schema + 'Project'], [id, NS.schema + 'name', null], [id, NS.schema + 'member', null], [id, NS.schema + 'parentOrganization', null]],
};
if (resourcesArg) {
	let [partner, cooperation, project] = resourcesArg.split(',');
	if (resourcesArg === 'auto') {
		const first = async (coll) => JSON.parse((await get(`${base}/api/v1/${coll}?limit=1`, 'application/json')).body).items[0].slug;
		[partner, cooperation, project] = [await first('partners'), await first('cooperations'), await first('projects')];
	}
	for (const [kind, slug, coll] of [['partner', partner, 'partners'], ['cooperation', cooperation, 'cooperations'], ['project', project, 'projects']]) {
		const res = await get(`${base}/api/v1/${coll}/${slug}`, 'application/ld+json');
		if (!res.type.startsWith('application/ld+json')) fail(`${kind} ${slug}: answered ${res.type}`);
		const doc = JSON.parse(res.body);
		const store = await parseJSONLD(doc);
		const id = doc['@id'];
		for (const [s, p, o] of expectedResourceTriples[kind](id)) {
			if (store.getQuads(s, p, o, null).length === 0) fail(`${kind} ${slug}: no triple ${s} ${p} ${o ?? '?'}`);
		}
		console.log(`${label}: ${kind} ${slug}: ${store.size} triples, @id ${id}`);
	}
}

if (failures > 0) {
	console.error(`${label}: ${failures} failures`);
	process.exit(1);
}
console.log(`${label}: catalogue valid`);
