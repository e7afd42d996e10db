import { describe, expect, it } from 'vitest';

import { embedText } from './embeddings.js';
import { countWords, cutAtStopSequence, splitPieces, tokenLogprob } from './text.js';

describe('splitPieces', () => {
  const cases = [
    { text: 'Say hello', pieces: ['Say', ' hello'] },
    { text: '  lead and trail  ', pieces: ['  lead', ' and', ' trail  '] },
    { text: 'line\nbreak', pieces: ['line', '\nbreak'] },
    { text: '', pieces: [] },
    { text: '   ', pieces: [] },
  ];

  it.each(cases)('splits $text into words that join back', ({ text, pieces }) => {
    expect(splitPieces(text)).toEqual(pieces);
    expect(countWords(text)).toBe(pieces.length);
  });
});

describe('cutAtStopSequence', () => {
  it('cuts at the earliest stop sequence', () => {
    expect(cutAtStopSequence('a b c d', ['d', ' b'])).toEqual({ text: 'a', stopSequence: ' b' });
  });

  it('keeps text without stop sequences', () => {
    expect(cutAtStopSequence('a b', ['x', ''])).toEqual({ text: 'a b', stopSequence: null });
  });
});

describe('tokenLogprob', () => {
  it('is deterministic and between -0.5 and 0', () => {
    const values = ['a', 'b', 'hello', ' world'].map((token, index) => tokenLogprob(token, index));

    expect(values).toEqual(['a', 'b', 'hello', ' world'].map((token, index) => tokenLogprob(token, index)));
    expect(values.every((value) => value <= 0 && value >= -0.5)).toBe(true);
  });
});

describe('embedText', () => {
  const cosine = (a: number[], b: number[]): number => a.reduce((sum, value, index) => sum + value * (b[index] ?? 0), 0);

  it('is unit length and deterministic', () => {
    const vector = embedText('The cat sat on the mat');

    expect(Math.hypot(...vector)).toBeCloseTo(1, 10);
    expect(embedText('the CAT sat on the mat!')).toEqual(vector);
  });

  it('ranks shared words above unrelated text', () => {
    const cat = embedText('the cat sat on the mat');

    expect(cosine(cat, embedText('a cat sat on a mat'))).toBeGreaterThan(cosine(cat, embedText('revenue grew this quarter')));
  });

  it('gives the zero vector for text without words', () => {
    expect(embedText('...', 4)).toEqual([0, 0, 0, 0]);
  });
});
