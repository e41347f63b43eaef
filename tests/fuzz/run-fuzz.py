#!/usr/bin/env python3
"""Runs one libFuzzer target for a fixed budget and reports it as TAP.

The corpus lives in the build directory (fuzz-corpus/NAME): seeds are copied there at test time
from TITRATE_SHARED_DATA (never into the repository), beside a few small seeds written here.
Usage: run-fuzz.py FUZZER NAME SECONDS
"""
import os
import re
import shutil
import subprocess
import sys

# Seeds per target: shared-data files (relative paths), or (header, signal file) pairs for WFDB,
# which the target reads as "header NUL signal-bytes".
SHARED = {
    'fuzz-vital': ['vital/test_intellivue_demo1.vital', 'vital/test_intelliue_demo2.vital'],
    'fuzz-wfdb': [('wfdb/mimic2_s00001/3975656_0015.hea', 'wfdb/mimic2_s00001/3975656_0015.dat'),
                  ('wfdb/mimic2_s00001/s00001-2896-10-10-00-31n.hea',
                   'wfdb/mimic2_s00001/3975656n.dat')],
    'fuzz-hl7': ['hl7/ge_b40_pcd01_ibp.hl7', 'hl7/philips_picix_pocd_ig_example_numeric_part.hl7'],
    'fuzz-csv': [],
    'fuzz-line': ['hl7/ge_b40_pcd01_ibp.hl7'],
    'fuzz-beats': [],
}
BUILTIN = {
    'fuzz-csv': [b'time_s,map,sbp,dbp,hr,event\n0,80,120,60,70,\n2,78,,,,induction\n4,"75",,,,\n',
                 b'Time;Solar8000/ART_MBP;Solar8000/ART_SBP\n2024-03-01T08:15:02.5Z;91,5;120\n'
                 b'2024-03-01T08:15:04Z;nan;121\n'],
    'fuzz-line': [b'1500,72.5,110,60,80', b'# comment', b'0,80', b'2000,,120'],
    'fuzz-hl7': [b'MSH|^~\\&|A|B|||20240201100000+0000||ORU^R01|1|P|2.6\rOBR|1|||x|||2024\r'
                 b'OBX|1|NM|^ART MEAN^local||12.6|kPa|||||R|||20240201100002+0000\r'],
}
# Large signal files make slow seeds: the first few kilobytes carry every code path.
MAX_SEED_BYTES = 16384


def main():
    fuzzer, name, seconds = sys.argv[1], sys.argv[2], sys.argv[3]
    build = os.environ.get('TITRATE_BUILD_DIR', os.getcwd())
    shared = os.environ.get('TITRATE_SHARED_DATA', '')
    corpus = os.path.join(build, 'fuzz-corpus', name)
    artifacts = os.path.join(build, 'fuzz-artifacts')
    os.makedirs(corpus, exist_ok=True)
    os.makedirs(artifacts, exist_ok=True)

    seeded = 0
    missing = []
    for i, seed in enumerate(SHARED.get(name, [])):
        if isinstance(seed, tuple):
            paths = [os.path.join(shared, p) for p in seed]
        else:
            paths = [os.path.join(shared, seed)]
        if not shared or not all(os.path.isfile(p) for p in paths):
            missing.append(os.path.join(shared or '$TITRATE_SHARED_DATA', paths[0]))
            continue
        with open(os.path.join(corpus, 'seed-shared-%d' % i), 'wb') as out:
            if len(paths) == 2:
                with open(paths[0], 'rb') as header, open(paths[1], 'rb') as dat:
                    out.write(header.read() + b'\0' + dat.read(MAX_SEED_BYTES))
            else:
                with open(paths[0], 'rb') as f:
                    shutil.copyfileobj(f, out)
        seeded += 1
    for i, seed in enumerate(BUILTIN.get(name, [])):
        with open(os.path.join(corpus, 'seed-builtin-%d' % i), 'wb') as out:
            out.write(seed)
        seeded += 1

    print('1..1')
    if missing:
        print('# shared seeds absent (fuzzing without them): ' + ', '.join(missing))
    command = [fuzzer, corpus, '-max_total_time=%s' % seconds, '-timeout=10',
               '-rss_limit_mb=2048', '-max_len=%d' % (2 * MAX_SEED_BYTES + 4096),
               '-print_final_stats=1', '-artifact_prefix=%s/%s-' % (artifacts, name)]
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, errors='replace')
    log = result.stdout
    runs = re.findall(r'stat::number_of_executed_units:\s*(\d+)', log)
    done = re.findall(r'Done (\d+) runs in (\d+) second', log)
    executions = runs[-1] if runs else (done[-1][0] if done else '?')
    if result.returncode == 0:
        print('ok 1 - %s: %s executions in %s s from %d seeds, no crash' %
              (name, executions, seconds, seeded))
        return 0
    for line in log.splitlines()[-60:]:
        print('# ' + line)
    print('not ok 1 - %s: crashed after %s executions (exit %d); the input is in %s' %
          (name, executions, result.returncode, artifacts))
    return 1


if __name__ == '__main__':
    sys.exit(main())
