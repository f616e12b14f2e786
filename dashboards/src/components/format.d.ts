// Types for format.js, so TypeScript tests can import it (the site itself runs the plain JS).
export function currencyExponent(code: string): number;
export function minorToDecimalString(minor: number | bigint, exponent: number): string;
export function formatMoney(minor: number | bigint | null | undefined, code: string | null | undefined): string;
export function formatCount(n: number | null | undefined): string;
export function formatRate(rate: number | null | undefined): string;
export function formatMonth(isoDate: string): string;
export function rate(numerator: number, denominator: number): number | null;
export function formatRatio(value: number | null | undefined, digits?: number): string;
export function formatUnit(value: number | null | undefined, unit: string, digits?: number): string;
export function formatMoneyMean(minor: number | null | undefined, code: string | null | undefined): string;
export function formatCountOf(n: number | null | undefined, singular: string, plural?: string): string;
export function formatQuarter(isoDate: string): string;
