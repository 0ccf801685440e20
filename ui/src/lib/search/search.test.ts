import { describe, expect, it } from 'vitest';
import { matchesSearch, searchKey } from './index';

describe('matchesSearch', () => {
  const cases: [string, string, boolean][] = [
    ['pret', 'Prêt immobilier', true],
    ['PRET IMMO', 'Prêt immobilier', true],
    ['societe', 'Société Générale', true],
    ['SOCIÉTÉ générale', 'societe generale', true],
    ['generale societe', 'Société Générale', true],
    ['oeuvre', 'Œuvre d’art', true],
    ['d\'epargne', 'Livret d’épargne', true],
    ['assurance vie', 'Assurance-vie Linxea', true],
    ['assurance-vie', 'Assurance vie', true],
    ['noel', 'Cadeau de Noël', true],
    ['agri', 'Crédit Agricole', true],
    ['', 'anything', true],
    ['   ', 'anything', true],
    ['pret', 'Livret A', false],
    ['societe bourso', 'Société Générale', false],
  ];
  it.each(cases)('%j in %j → %s', (query, text, expected) => {
    expect(matchesSearch(query, text)).toBe(expected);
  });

  it('looks in every field given, and skips missing ones', () => {
    expect(matchesSearch('fr0010', 'ETF Monde', 'FR0010315770', null)).toBe(true);
    expect(matchesSearch('monde fr0010', 'ETF Monde', undefined, 'FR0010315770')).toBe(true);
    expect(matchesSearch('cw8', 'ETF Monde', null)).toBe(false);
  });

  it('compares one normal form of each text', () => {
    expect(searchKey('  Crédit\u00a0Agricole — Épargne  ')).toBe('credit agricole epargne');
    // Decomposed accents (as some file systems and keyboards give them) are the same.
    expect(searchKey('Pre\u0302t')).toBe(searchKey('Prêt'));
  });
});
