import type { Catalog } from './en';

// Portuguese, started: keys left out fall back to English (en.ts).

export const pt: Catalog = {
  'app.loading': 'Carregando…',
  'app.language': 'Idioma',
  'nav.patients': 'Pacientes',
  'nav.signOut': 'Sair',
  'auth.signIn.title': 'Entrar',
  'auth.signIn.submit': 'Entrar',
  'auth.username': 'Usuário',
  'auth.password': 'Senha',
  'search.title': 'Buscar um paciente',
  'chart.recordDose': 'Registrar uma dose',
  'status.accepted': 'Aceita pelo MIIS',
};
