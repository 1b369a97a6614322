// Plain elements styled with Mantine's CSS variables (global.css): Mantine components here would add a
// chunk of client code to every route's first load, since every route carries its not-found boundary.
export default function NotFound() {
  return (
    <main className="page-centered">
      <div className="page-not-found">
        <h1 className="page-not-found-title">Page not found</h1>
        <p className="page-not-found-text">There is nothing at this address.</p>
        <a href="/" className="page-not-found-link mantine-focus-auto">
          Go to the dashboard
        </a>
      </div>
    </main>
  );
}
