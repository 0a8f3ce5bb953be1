/** What a search optimises: a logged metric and which way is better. */
export interface Objective {
  metric: string;
  direction: 'min' | 'max';
}
