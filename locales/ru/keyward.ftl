sign-in = Sign in
