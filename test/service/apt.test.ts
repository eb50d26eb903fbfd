import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { APT_LISTS, estimateAptRun, type AptContext, type AptRunEstimate } from '../../server/src/service/sizes/apt';
import { parseAptTable, type AptTable } from '../../server/src/service/sizes/aptTable';
import { splitCommands } from '../../server/src/service/sizes/shell';
import { aptTable, MINI_APT } from '../aptFixture';

const KiB = 1024;

const run = (script: string, context: Partial<AptContext> = {}): AptRunEstimate | undefined =>
  estimateAptRun(splitCommands(script), { table: MINI_APT, installed: new Set(['libc']), listsPresent: true, ...context });
const names = (r: AptRunEstimate | undefined) => (r?.packages ?? []).map((p) => p.name).sort();
const entry = (r: AptRunEstimate | undefined, name: string) => r?.packages.find((p) => p.name === name);

// ---- the table ----------------------------------------------------------------------------

test('parses the readable format: sizes in bytes, flags, groups, providers', () => {
  const app = MINI_APT.get('app')!;
  assert.equal(app.installedBytes, 100 * KiB);
  assert.deepEqual(app.depends, [['libfoo'], ['mta', 'mail-transport-agent']]);
  assert.deepEqual(app.preDepends, [['setup']]);
  assert.deepEqual(app.recommends, [['docs']]);
  assert.equal(MINI_APT.get('libc')!.required, true);
  assert.equal(MINI_APT.get('py-tool')!.python, true);
  assert.deepEqual(MINI_APT.providers('awk'), ['mawk', 'gawk']);
  assert.equal(MINI_APT.get('awk'), undefined, 'a virtual name is not a package');
  assert.equal(MINI_APT.knows('awk'), true);
  assert.equal(MINI_APT.get('sizeless')!.installedBytes, null);
  assert.equal(MINI_APT.release, 'debian test');
  assert.equal(MINI_APT.date, '2026-01-01');
  assert.equal(MINI_APT.packageCount, 17);
});

test('parses front-coded names with base-62 line references', () => {
  const t = parseAptTable(['#dockerlens-apt-table 1 names=front refs=index', '0lib\t10\t\t1,2|3', '3x\t20', '3y\t30\t\t\t\t1', '3z\t\t\t\t\t\t1,2'].join('\n'));
  assert.deepEqual(t.get('lib')!.depends, [['libx'], ['liby', 'libz']]);
  assert.deepEqual(t.get('liby')!.recommends, [['libx']]);
  assert.deepEqual(t.providers('libz'), ['libx', 'liby']);
  assert.equal(t.packageCount, 3);
});

// ---- the resolver -------------------------------------------------------------------------

test('closure over Pre-Depends, Depends and Recommends, minus what is installed', () => {
  const r = run('apt-get install -y app');
  assert.deepEqual(names(r), ['app', 'docs', 'helper', 'libfoo', 'mta', 'setup']);
  assert.deepEqual(entry(r, 'setup'), { name: 'setup', bytes: 10 * KiB, reason: 'dependency', pulledBy: 'app' });
  assert.deepEqual(entry(r, 'docs'), { name: 'docs', bytes: 200 * KiB, reason: 'recommended', pulledBy: 'app' });
  assert.equal(entry(r, 'helper')?.reason, 'dependency', 'a dependency of a recommended package is a dependency');
  assert.equal(entry(r, 'libc'), undefined, 'already installed');
});

test('alternatives: the first one, unless another is already installed', () => {
  assert.equal(entry(run('apt-get install -y app'), 'mta')?.reason, 'dependency');
  const r = run('apt-get install -y app', { installed: new Set(['libc', 'exim']) });
  assert.equal(entry(r, 'mta'), undefined);
  assert.equal(entry(r, 'postfix'), undefined);
});

test('alternatives: a package selected earlier in the same RUN satisfies the group', () => {
  const r = run('apt-get install -y postfix && apt-get install -y app');
  assert.equal(entry(r, 'mta'), undefined);
  assert.equal(entry(r, 'postfix')?.reason, 'requested');
});

test('virtual packages: the preferred provider, or the one already installed', () => {
  assert.equal(entry(run('apt-get install -y needs-awk'), 'mawk')?.pulledBy, 'needs-awk');
  const r = run('apt-get install -y needs-awk', { installed: new Set(['libc', 'gawk']) });
  assert.deepEqual(names(r), ['needs-awk']);
});

test('a virtual package requested by name: apt refuses when several packages provide it', () => {
  const r = run('apt-get install -y awk');
  assert.deepEqual(names(r), ['mawk']);
  assert.ok(r!.notes.some((n) => n.includes('virtual package provided by mawk, gawk')));
});

test('--no-install-recommends and -o APT::Install-Recommends=false leave Recommends out and list them', () => {
  for (const script of ['apt-get install -y --no-install-recommends app', 'apt-get -o APT::Install-Recommends=false install -y app', 'apt-get install -y -oAPT::Install-Recommends=0 app']) {
    const r = run(script);
    assert.deepEqual(names(r), ['app', 'libfoo', 'mta', 'setup'], script);
    assert.deepEqual(r!.skippedByNoRecommends.map((s) => s.name).sort(), ['docs', 'helper'], script);
  }
  assert.deepEqual(run('apt-get install -y app')!.skippedByNoRecommends, []);
});

test('apt.conf written in the same RUN turns Recommends off for later installs', () => {
  const r = run(`echo 'APT::Install-Recommends "false";' > /etc/apt/apt.conf.d/99norec && apt-get install -y app`);
  assert.equal(entry(r, 'docs'), undefined);
});

test('dependency cycles end', () => {
  assert.deepEqual(names(run('apt-get install -y ping')), ['ping', 'pong']);
});

test('an unknown package name: its bytes are unknown, a note says so, nothing throws', () => {
  const r = run('apt-get install -y app no-such-package');
  assert.deepEqual(entry(r, 'no-such-package'), { name: 'no-such-package', bytes: null, reason: 'requested' });
  assert.ok(r!.notes.some((n) => n.startsWith('no-such-package is not in the bundled')));
  assert.equal(r!.size.high, null, 'no upper bound');
  assert.ok(r!.size.bytes! > 100 * KiB);
});

test('a dependency nothing provides, and a package without Installed-Size', () => {
  const r = run('apt-get install -y broken sizeless');
  assert.ok(r!.notes.some((n) => n.includes('broken needs nowhere')));
  assert.equal(entry(r, 'sizeless')?.bytes, null);
  assert.ok(r!.notes.some((n) => n.includes('no Installed-Size')));
});

test('a requested package the base already has adds nothing', () => {
  const r = run('apt-get install -y libc');
  assert.deepEqual(r!.packages, []);
  assert.ok(r!.notes.some((n) => n.includes('libc is already installed')));
  assert.equal(r!.size.bytes, 0);
});

// ---- command recognition ------------------------------------------------------------------

test('a RUN without apt, apt-get or dpkg work is not claimed', () => {
  assert.equal(run('echo hi && make install'), undefined);
  assert.equal(run('apt-cache policy curl && dpkg -l'), undefined);
  assert.equal(run('apt-key list'), undefined);
});

test('apt install, -qq, --yes, version pins, releases and architectures', () => {
  const r = run('apt install -qq app=1.2-3 mta/bookworm-backports postfix:amd64 && apt-get --yes install ping');
  assert.deepEqual(names(r).filter((n) => ['app', 'mta', 'postfix', 'ping'].includes(n)), ['app', 'mta', 'ping', 'postfix']);
  assert.equal(entry(r, 'app')?.reason, 'requested');
  assert.ok(r!.notes.some((n) => n.startsWith('mta/bookworm-backports')));
  assert.ok(!r!.notes.some((n) => n.includes('without -y')), '-qq implies -y');
});

test('multi-line continuations, && chains, env prefixes and sudo', () => {
  const script = [
    'set -eux; \\',
    '  apt-get update \\',
    '  && DEBIAN_FRONTEND=noninteractive sudo -E apt-get install -y --no-install-recommends \\',
    '     app \\',
    '     ping \\',
    '  && rm -rf /var/lib/apt/lists/*',
  ].join('\n');
  const r = run(script, { listsPresent: false });
  assert.deepEqual(names(r), ['app', 'libfoo', 'mta', 'ping', 'pong', 'setup']);
  assert.equal(r!.listsBytes, 0);
  assert.equal(r!.leavesLists, false);
});

test('shell conditionals, version pins with ~ and *, patterns and variables', () => {
  const r = run('if ! command -v ping; then apt-get install -y ping=1.0~rc1-2 helper=5.*; fi');
  assert.deepEqual(names(r), ['helper', 'ping', 'pong']);
  const patterns = run('apt-get install -y "lib*" $EXTRA_PACKAGES helper');
  assert.deepEqual(names(patterns), ['helper']);
  assert.equal(patterns!.size.high, null);
  assert.equal(patterns!.notes.filter((n) => n.includes('decided at build time')).length, 2);
});

test('without -y apt asks before installing more than was named, and aborts', () => {
  assert.ok(run('apt-get install app')!.notes.some((n) => n.includes('without -y')));
  assert.ok(!run('apt-get install helper')!.notes.some((n) => n.includes('without -y')));
});

// ---- lists --------------------------------------------------------------------------------

test('apt-get update without cleanup leaves the lists in the layer', () => {
  const r = run('apt-get update && apt-get install -y helper', { listsPresent: false });
  assert.equal(r!.listsBytes, APT_LISTS.best);
  assert.equal(r!.leavesLists, true);
  // the lists, and each package as one write a later purge can retire
  assert.deepEqual(r!.writes.map((w) => w.path), ['/var/lib/apt/lists', 'package:apt/helper']);
  assert.ok(r!.size.bytes! > APT_LISTS.best);
  assert.match(r!.size.detail, /\+apt lists 19\.9 MB left in the layer/);
});

test('lists from an earlier layer: none here, and removing them does not shrink the image', () => {
  const kept = run('apt-get install -y helper', { listsPresent: true });
  assert.equal(kept!.listsBytes, 0);
  assert.equal(kept!.leavesLists, true);
  const removed = run('apt-get install -y helper && rm -rf /var/lib/apt/lists/*', { listsPresent: true });
  assert.equal(removed!.leavesLists, false);
  assert.ok(removed!.notes.some((n) => n.includes('does not shrink')));
});

test('an install with no lists anywhere fails on official images: a note', () => {
  const r = run('apt-get install -y helper', { listsPresent: false });
  assert.ok(r!.notes.some((n) => n.includes('Unable to locate package')));
});

test('apt-get update alone: the lists and nothing else', () => {
  const r = run('apt-get update', { listsPresent: false });
  assert.equal(r!.size.bytes, APT_LISTS.best);
  assert.deepEqual(r!.packages, []);
});

test('apt-get clean adds nothing (docker-clean already removes the .debs)', () => {
  const r = run('apt-get install -y helper && apt-get clean');
  const plain = run('apt-get install -y helper');
  assert.equal(r!.size.bytes, plain!.size.bytes);
  assert.ok(r!.notes.some((n) => n.includes('docker-clean')));
});

// ---- removal, upgrade, dpkg ---------------------------------------------------------------

test('purge in the same RUN subtracts; --auto-remove takes back what it pulled in', () => {
  const purged = run('apt-get install -y app helper && apt-get purge -y helper');
  assert.equal(entry(purged, 'helper'), undefined);
  assert.equal(entry(purged, 'docs'), undefined, 'docs depends on helper, so apt removes it too');
  const auto = run('apt-get install -y --no-install-recommends app && apt-get purge -y --auto-remove app');
  assert.deepEqual(auto!.packages, []);
  assert.ok(auto!.size.bytes! < 3e6, 'dpkg state only');
  assert.deepEqual(names(run('apt-get install -y ping && apt-get remove -y ping && apt-get autoremove -y')), []);
});

test('autoremove across RUNs: the automatic packages of earlier RUNs nothing manual needs, not the manual ones', () => {
  // app was requested by an earlier RUN (manual), libfoo/setup/mta pulled in (auto); docs recommended (auto)
  const installed = new Set(['libc', 'app', 'libfoo', 'setup', 'mta', 'docs', 'helper', 'ping', 'pong']);
  const marks = new Map([['app', 'manual'], ['libfoo', 'auto'], ['setup', 'auto'], ['mta', 'auto'], ['docs', 'auto'], ['helper', 'auto'], ['ping', 'manual'], ['pong', 'auto']] as const);
  assert.deepEqual(run('apt-get autoremove -y', { installed, marks })!.removed, []);
  const purged = run('apt-get purge -y --auto-remove app', { installed, marks })!;
  assert.deepEqual([...purged.removed].sort(), ['app', 'docs', 'helper', 'libfoo', 'mta', 'setup']);
  assert.deepEqual(purged.packages, []);
  assert.match(purged.size.detail, /apt removes 6 packages of earlier layers/);
  // without --auto-remove only app goes; its dependencies stay until an autoremove
  assert.deepEqual(run('apt-get purge -y app', { installed, marks })!.removed, ['app']);
  // removing a package removes what depends on it (apt's own rule), among earlier RUNs' packages
  assert.deepEqual([...run('apt-get remove -y libfoo', { installed, marks })!.removed].sort(), ['app', 'libfoo']);
  // asking for an automatic package again makes it manual
  assert.deepEqual(run('apt-get install -y libfoo', { installed, marks })!.manual, ['libfoo']);
});

test('removing a package of an earlier layer saves nothing and is reported', () => {
  const r = run('apt-get purge -y libc', { installed: new Set(['libc']) });
  assert.deepEqual(r!.removed, ['libc']);
  assert.ok(r!.notes.some((n) => n.includes('does not shrink')));
});

test('apt-get install pkg- removes pkg', () => {
  assert.deepEqual(names(run('apt-get install -y helper && apt-get install -y ping helper-')), ['ping', 'pong']);
});

test('upgrade and dist-upgrade widen the range', () => {
  const plain = run('apt-get install -y helper')!;
  const upgraded = run('apt-get upgrade -y && apt-get install -y helper')!;
  assert.equal(upgraded.size.bytes, plain.size.bytes);
  assert.ok(upgraded.size.high! >= plain.size.high! + 1000 * KiB, 'up to the installed packages (libc)');
  const unknownBase = run('apt-get dist-upgrade -y', { installed: undefined })!;
  assert.ok(unknownBase.size.high! >= 100e6);
});

test('dpkg -i of a local file is unknown; dpkg --purge removes', () => {
  const r = run('dpkg -i /tmp/thing.deb && apt-get install -y -f');
  assert.equal(r!.size.high, null);
  assert.ok(r!.notes.some((n) => n.includes('/tmp/thing.deb')));
  assert.deepEqual(names(run('apt-get install -y ping && dpkg --purge ping pong')), []);
  assert.equal(run('apt install -y ./local.deb')!.size.high, null);
});

// ---- the figure ---------------------------------------------------------------------------

test('range: Installed-Size on disk (93–102%, +8% for base upgrades) plus dpkg state; detail names the index and counts', () => {
  const r = run('apt-get install -y app')!;
  const pkgBytes = (100 + 50 + 10 + 200 + 5 + 30) * KiB;
  assert.ok(r.size.bytes! > pkgBytes * 0.97 && r.size.bytes! < pkgBytes + 1e6);
  assert.ok(r.size.low! <= pkgBytes * 0.93 + 0.7 * 0.52e6 + 1);
  assert.ok(r.size.high! >= pkgBytes * 1.1);
  assert.equal(r.size.source, 'estimate');
  assert.ok(r.size.compressed! > 0 && r.size.compressed! < r.size.bytes!);
  assert.match(r.size.detail, /^estimated: apt installs 6 packages \(1 requested, 5 pulled in\) from the bundled Debian test index \(2026-01-01\)/);
});

test('debconf users and known postinst caches add their measured bytes', () => {
  const t = aptTable('uses-debconf\t10\td', 'shared-mime-info\t100');
  const plain = estimateAptRun(splitCommands('apt-get install -y shared-mime-info'), { table: t, installed: new Set() })!;
  const withDebconf = estimateAptRun(splitCommands('apt-get install -y shared-mime-info uses-debconf'), { table: t, installed: new Set() })!;
  assert.ok(plain.size.bytes! > 2.6e6, 'update-mime-database writes ~2.7 MB of caches');
  assert.ok(withDebconf.size.bytes! - plain.size.bytes! > 1.5e6, "debconf's cache is rewritten");
});

test('Python packages add a .pyc allowance (45–80% of their Installed-Size)', () => {
  const r = run('apt-get install -y py-tool')!;
  const bytes = 1000 * KiB;
  assert.ok(r.size.bytes! >= bytes * (0.97 + 0.6));
  assert.ok(r.size.low! >= bytes * (0.93 + 0.45));
  assert.ok(r.size.high! >= bytes * (1.02 + 0.08 + 0.8));
  assert.ok(r.notes.some((n) => n.includes('.pyc')));
});

test('the base image unknown: base packages counted, an upper bound, a wider low end', () => {
  const r = run('apt-get install -y libfoo', { installed: undefined })!;
  assert.deepEqual(names(r), ['libc', 'libfoo']);
  assert.ok(r.notes.some((n) => n.includes('upper bound')));
  assert.ok(r.size.low! < 100 * KiB + 1e6, 'the low end leaves libc (Priority: required) out');
});

// ---- the bundled table ------------------------------------------------------------------

const DEBIAN_BOOKWORM = new Set(
  ('adduser apt base-files base-passwd bash bsdutils coreutils dash debconf debian-archive-keyring debianutils diffutils dpkg ' +
    'e2fsprogs findutils gcc-12-base gpgv grep gzip hostname init-system-helpers libacl1 libapt-pkg6.0 libattr1 libaudit-common ' +
    'libaudit1 libblkid1 libbz2-1.0 libc-bin libc6 libcap-ng0 libcap2 libcom-err2 libcrypt1 libdb5.3 libdebconfclient0 libext2fs2 ' +
    'libffi8 libgcc-s1 libgcrypt20 libgmp10 libgnutls30 libgpg-error0 libhogweed6 libidn2-0 liblz4-1 liblzma5 libmd0 libmount1 ' +
    'libnettle8 libp11-kit0 libpam-modules libpam-modules-bin libpam-runtime libpam0g libpcre2-8-0 libseccomp2 libselinux1 ' +
    'libsemanage-common libsemanage2 libsepol2 libsmartcols1 libss2 libstdc++6 libsystemd0 libtasn1-6 libtinfo6 libudev1 ' +
    'libunistring2 libuuid1 libxxhash0 libzstd1 login logsave mawk mount ncurses-base ncurses-bin passwd perl-base sed ' +
    'sysvinit-utils tar tzdata usr-is-merged util-linux util-linux-extra zlib1g').split(' '),
);

let bundled: AptTable | undefined;
function bundledTable(): AptTable {
  if (!bundled) {
    const candidates = [resolve(__dirname, '../../..'), process.cwd()].map((r) => join(r, 'server/src/service/data/apt-bookworm.txt.br'));
    const file = candidates.find((f) => existsSync(f))!;
    bundled = parseAptTable(brotliDecompressSync(readFileSync(file)).toString('utf8'));
  }
  return bundled;
}

// Parse time is measured by `npm run bench`, not asserted here.
test('the bundled bookworm table loads, with its flags', () => {
  const t = bundledTable();
  assert.equal(t.release, 'debian bookworm');
  assert.match(t.date, /^\d{4}-\d{2}-\d{2}$/);
  assert.ok(t.packageCount > 60000);
  assert.ok(t.get('libc6')!.minbase);
  assert.ok(t.get('dpkg')!.essential);
  assert.ok(!t.get('curl')!.minbase);
  assert.ok(t.get('python3-pip')!.python);
});

test('bundled: curl without recommends on debian:bookworm', () => {
  const r = estimateAptRun(splitCommands('apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*'), {
    table: bundledTable(),
    installed: DEBIAN_BOOKWORM,
    listsPresent: false,
  })!;
  assert.deepEqual(entry(r, 'curl'), { name: 'curl', bytes: r.packages[0]!.bytes, reason: 'requested' });
  assert.equal(entry(r, 'libcurl4')?.reason, 'dependency');
  assert.equal(entry(r, 'libcurl4')?.pulledBy, 'curl');
  assert.equal(entry(r, 'libc6'), undefined);
  // apt-get install -s on a debian:bookworm status file: 16 packages, 11.98 MB of Installed-Size
  assert.equal(r.packages.length, 16);
  assert.ok(r.size.bytes! > 11e6 && r.size.bytes! < 16e6, `${r.size.bytes}`);
  assert.ok(r.size.low! > 10e6 && r.size.high! < 20e6);
  assert.ok(r.skippedByNoRecommends.some((s) => s.name === 'ca-certificates'));
  assert.equal(r.listsBytes, 0);
});

test('bundled: curl ca-certificates git with recommends matches apt-get -s (48 packages)', () => {
  const r = estimateAptRun(splitCommands('apt-get install -y curl ca-certificates git'), { table: bundledTable(), installed: DEBIAN_BOOKWORM, listsPresent: true })!;
  assert.equal(r.packages.length, 48);
  assert.equal(entry(r, 'openssh-client')?.reason, 'recommended');
  const pkgBytes = r.packages.reduce((s, p) => s + (p.bytes ?? 0), 0);
  assert.ok(pkgBytes > 120e6 && pkgBytes < 130e6, `${pkgBytes}`);
});

test('bundled: without the base list, libc6 is counted and the figure is an upper bound', () => {
  const r = estimateAptRun(splitCommands('apt-get install -y --no-install-recommends curl'), { table: bundledTable() })!;
  assert.ok(entry(r, 'libc6'));
  assert.ok(r.packages.length > 16);
  assert.ok(r.notes.some((n) => n.includes('upper bound')));
});
