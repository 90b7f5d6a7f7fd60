#!/usr/bin/env python3
"""Real-word accent errors fixed, per condition of the dev set (issue 5's measure).

A site is an aligned unit of score.py's word_stats whose OCR side is one word that is in the
lexicon (punctuation stripped), wrong, and differs from the truth only by accents (same folded
form) by more than case: `periodo` for período, `esta` for está, `dé` for de (`Para` for para
is a case error, not one of these). Precision counts, besides the sites
left wrong, the correct words the lexicon knows changed into an accent twin (a correct word
it does not know, `ibid` changed to ibíd, is a non-word repair gone wrong, which score.py's
precision counts).

Usage: scripts/real_word_sites.py OUT_DIR   (outputs of `ocrqa fix` on ../shared/eval/dev)
"""
import sys, glob, os, unicodedata, re
HERE = os.path.dirname(os.path.abspath(__file__))
DEV = os.path.join(HERE, "..", "..", "shared", "eval")
sys.path.insert(0, DEV); import score
lex=set(l.split('\t')[0].lower() for l in open(os.path.join(HERE, "..", "dictionaries", "es", "words.tsv"), encoding="utf-8"))
fold=lambda s:''.join(c for c in unicodedata.normalize('NFD',s.lower()) if not unicodedata.combining(c))
strip=lambda w: re.sub(r'^\W+|\W+$','',w)
out=sys.argv[1]
for cond in ['eng-clean','eng-degraded','spa-degraded']:
    fixed=missed=cw=0; broken_rw=0
    for f in sorted(glob.glob(os.path.join(DEV, 'dev', f'*.{cond}.ocr.txt'))):
        n=os.path.basename(f); t=os.path.join(os.path.dirname(f), n.split('.')[0]+'.truth.txt')
        o=open(f).read(); tr=open(t).read(); s=open(os.path.join(out,n)).read()
        O,T,S=[score.tokens(score.normalize(x)) for x in (o,tr,s)]
        st,ex=score.word_stats(O,T,S)
        def site(e):
            a,b=strip(e[0]),strip(e[1])
            return ' ' not in e[0] and a and a.lower() in lex and a.lower()!=b.lower() and fold(a)==fold(b)
        fixed+=sum(1 for e in ex['fixed'] if site(e))
        missed+=sum(1 for e in ex['missed'] if site(e))
        cw+=sum(1 for e in ex['changed_wrong'] if site(e))
        # real-word changes that broke a correct real word by accents
        def twin_change(e):
            a,c=strip(e[0]),strip(e[2] if len(e)>2 else e[1])
            return ' ' not in e[0] and a.lower() in lex and a.lower()!=c.lower() and fold(a)==fold(c)
        broken_rw+=sum(1 for e in ex['broken'] if twin_change(e))
    tot=fixed+missed+cw
    print(cond, 'sites',tot,'fixed',fixed, 'recall %.2f'%(fixed/max(tot,1)), 'accent-twin changes that broke a correct word',broken_rw, 'precision %.2f'%(fixed/max(fixed+cw+broken_rw,1)))
