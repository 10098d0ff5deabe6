"""Equity: who has a concern raised, who is taken further, and whether like cases are
treated alike (issue 13, docs/adr/0026). Pure modules: groups, workforce_csv, figures,
fairness, prompt_figures, charts. Django: loaders, selectors, services, views, forms."""
