import { t } from '../../i18n';

// What everyone sees once the database is found damaged: DoseDesk has stopped writing to it,
// and only IT can restore it. The message from main names the file and the backup to restore;
// it is shown as it came, for IT to read off the screen or the phone.

export function DamageScreen({ message }: { message: string }) {
  return (
    <main className="main" id="main">
      <section className="card damage" role="alert" aria-labelledby="damage-title">
        <h1 id="damage-title">{t('damage.title')}</h1>
        <p>{t('damage.intro')}</p>
        <ol>
          <li>{t('damage.stepPaper')}</li>
          <li>{t('damage.stepKeep')}</li>
          <li>{t('damage.stepCall')}</li>
        </ol>
        <h2>{t('damage.forIt')}</h2>
        <p className="damage__detail" data-testid="damage-detail">
          {message}
        </p>
      </section>
    </main>
  );
}
